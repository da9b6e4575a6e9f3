// A row added to a numbered inline (a publication's authors) gets the next number instead of
// 0 (NumberedInlineFormSet numbers rows left blank or at 0 on saving as well).
"use strict";

document.addEventListener("formset:added", function (event) {
  const row = event.target;
  const input = row.querySelector("input[data-numbered]");
  const group = row.closest(".inline-group");
  if (!input || !group) {
    return;
  }
  const numbers = Array.from(group.querySelectorAll("input[data-numbered]"))
    .filter(function (other) {
      return other !== input && !other.closest(".empty-form");
    })
    .map(function (other) {
      return parseInt(other.value, 10);
    })
    .filter(Number.isFinite);
  input.value = String(Math.max(0, ...numbers) + 1);
});

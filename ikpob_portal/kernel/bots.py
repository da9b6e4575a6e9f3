"""User agents the page statistics leave out: crawlers, link checkers, previews and scripts.

Maintained by hand. Each entry is a piece of text, matched case-insensitively anywhere in the
User-Agent header (not a regular expression), so "bot" already covers Googlebot, bingbot,
Applebot, GPTBot and most others; add what the server's access log shows that counts without
being a person. Requests without a User-Agent are left out as well (see
`ikpob_portal.kernel.statistics`). A bot that pretends to be a browser is counted: no list
catches those.
"""

BOT_USER_AGENT_PARTS = (
    # Search engines, AI crawlers and SEO tools; most name themselves "…bot" or "crawler".
    "bot",
    "crawl",
    "spider",
    "slurp",  # Yahoo
    "baiduspider",
    "yandex",
    "duckduckgo",
    "bingpreview",
    "mediapartners-google",
    "adsbot-google",
    "google-read-aloud",
    "google-inspectiontool",
    "feedfetcher",
    "ia_archiver",
    "archive.org",
    "ccbot",
    "bytespider",
    "petalbot",
    "semrush",
    "ahrefs",
    "mj12",
    "dotbot",
    "seznam",
    "sogou",
    "qwantify",
    # Link previews in chats and social media.
    "facebookexternalhit",
    "facebookcatalog",
    "whatsapp",
    "telegrambot",
    "slackbot",
    "discordbot",
    "skypeuripreview",
    "linkedinbot",
    "twitterbot",
    "pinterest",
    "embedly",
    "preview",
    # Monitoring, uptime and performance checks.
    "pingdom",
    "uptime",
    "monitor",
    "statuscake",
    "site24x7",
    "newrelic",
    "datadog",
    "lighthouse",
    "pagespeed",
    "gtmetrix",
    "check_http",
    "validator",
    "linkcheck",
    "link-check",
    # Scripts and libraries (a person reads the site in a browser).
    "curl/",
    "wget",
    "python-",
    "python/",
    "aiohttp",
    "httpx",
    "requests/",
    "urllib",
    "go-http-client",
    "java/",
    "okhttp",
    "apache-httpclient",
    "libwww-perl",
    "node-fetch",
    "axios/",
    "undici",
    "php/",
    "ruby",
    "scrapy",
    "headlesschrome",
    "phantomjs",
    "wrk",
)

# Every request that could count runs this, so it is plain substring tests on the lowercased
# header (a few microseconds), without the parts that a shorter part already finds ("twitterbot"
# has "bot"). A case-insensitive regular expression of all the parts took 30 times as long.
_PARTS = tuple(
    part
    for part in BOT_USER_AGENT_PARTS
    if not any(other != part and other in part for other in BOT_USER_AGENT_PARTS)
)


def is_bot(user_agent: str) -> bool:
    lowered = user_agent.lower()
    return any(part in lowered for part in _PARTS)

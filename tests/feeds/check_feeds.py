#!/usr/bin/env python3
"""Checks the feeds, sitemaps and robots.txt of built briefing sites with outside tools.

feedparser reads every Atom and RSS 2.0 feed; the JSON Feeds are checked here against the 1.1
fields (no released feedparser, 6.0.14 being the newest, reads JSON Feed); xmllint validates the sitemaps against
the published XSDs in tests/feeds/schemas/. Expected titles, dates, authors and body text come from
the articles' own front matter, not from briefing, so a wrong feed cannot agree with itself.

Builds two sites with target/release/briefing: the example site, and a copy of it with an
awkward article added (markup and an ampersand in its title, a control character, no date).

Usage: python3 tests/feeds/check_feeds.py   (after `cargo build --release`)
"""

import datetime
import glob
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import tomllib

import feedparser

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BINARY = os.path.join(REPO, "target", "release", "briefing")
SCHEMA = os.path.join(REPO, "tests", "feeds", "schemas", "sitemaps.xsd")
JSON_FEED_VERSION = "https://jsonfeed.org/version/1.1"

AWKWARD_ARTICLES = {
    "aid-stalls.md": """+++
title = "Aid <b>stalls</b> & talks \\u0001resume"
date = 2025-08-19T09:30:00+02:00
topics = ["Ukraine talks"]
author = "Ann <Editor> & Co"
+++
Grain corridors and budgets for reconstruction were discussed in Brussels on Tuesday.
""",
    "undated-note.md": """+++
title = "An undated note"
topics = ["Ukraine talks"]
+++
Nothing here has a date at all, so no feed carries it.
""",
}

failures = []
passed = [0]


def check(condition, message):
    if condition:
        passed[0] += 1
    else:
        failures.append(message)
    return condition


def plain(text):
    """Text without the control characters XML cannot carry (feeds drop them)."""
    return re.sub(r"[\x00-\x08\x0b\x0c\x0e-\x1f]", "", text or "")


def front_matter(path):
    """The TOML front matter of an article and the first paragraph of its body."""
    text = open(path, encoding="utf-8").read()
    _, toml_text, body = text.split("+++", 2)
    meta = tomllib.loads(toml_text)
    first = next(p for p in body.strip().split("\n\n") if p.strip())
    return meta, first


def snippet(paragraph):
    """Four or more plain words in a row from the paragraph, which Markdown leaves alone."""
    run, best = [], []
    for word in paragraph.split():
        if re.fullmatch(r"[A-Za-z0-9,]+", word):
            run.append(word)
            if len(run) > len(best):
                best = list(run)
        else:
            run = []
    return " ".join(best[:8]) if len(best) >= 4 else None


def build(root, output):
    subprocess.run([BINARY, "build", "--root", root, "--output", output], check=True,
                   stdout=subprocess.DEVNULL)


def day_of(value):
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    return datetime.date.fromisoformat(str(value)[:10])


class Site:
    def __init__(self, root, output):
        self.root, self.output = root, output
        config = tomllib.load(open(os.path.join(root, "site.toml"), "rb"))
        self.title = config["title"]
        self.base = config["base_url"].rstrip("/") + "/"
        self.origin = re.match(r"https?://[^/]+", self.base).group(0)
        self.limit = config.get("feeds", {}).get("limit", 20)
        index = json.load(open(os.path.join(output, "index.json"), encoding="utf-8"))
        self.url_of_source = {a["source"]: self.origin + a["url"] for a in index["articles"]}
        self.articles = {}
        for path in sorted(glob.glob(os.path.join(root, "content", "**", "*.md"), recursive=True)):
            meta, first = front_matter(path)
            source = os.path.relpath(path, root)
            url = self.url_of_source.get(source)
            if check(url, f"{source}: not in index.json"):
                self.articles[url] = (meta, first)

    def feed_dirs(self):
        """The site path of every folder holding feeds: the root and each topic."""
        topics = sorted(os.path.relpath(os.path.dirname(p), self.output) + "/"
                        for p in glob.glob(os.path.join(self.output, "topics", "*", "atom.xml")))
        return [""] + topics

    def expected_urls(self, feed_dir):
        """The dated articles a feed should carry, newest first, from the front matter."""
        def in_feed(meta):
            if feed_dir == "":
                return True
            topic_slug = feed_dir.split("/")[1]
            return any(re.sub(r"[^a-z0-9]+", "-", t.lower()).strip("-") == topic_slug
                       for t in meta.get("topics", []))
        dated = [(day_of(meta["date"]), url) for url, (meta, _) in self.articles.items()
                 if "date" in meta and in_feed(meta)]
        dated.sort(key=lambda pair: pair[0], reverse=True)
        return [url for _, url in dated[: self.limit]]


def check_entry(site, label, url, title, published, content, categories, author):
    meta, first = site.articles[url]
    check(plain(title) == plain(meta["title"]),
          f"{label}: title {title!r} != {meta['title']!r}")
    check(published is not None and published.date() == day_of(meta["date"]),
          f"{label}: date {published} != {meta['date']}")
    words = snippet(first)
    if words:
        check(words in content, f"{label}: content lacks {words!r}")
    for topic in meta.get("topics", []):
        check(topic in categories, f"{label}: category {topic!r} missing from {categories}")
    expected_author = meta.get("author") or meta.get("outlet")
    if expected_author:
        check(author == expected_author, f"{label}: author {author!r} != {expected_author!r}")


def check_xml_feed(site, feed_dir, name):
    path = os.path.join(site.output, feed_dir, name)
    label = f"{os.path.basename(site.root)}/{feed_dir}{name}"
    parsed = feedparser.parse(path)
    check(parsed.bozo == 0, f"{label}: bozo {parsed.get('bozo_exception')}")
    check(parsed.feed.get("title", "").endswith(site.title), f"{label}: feed title")
    check(parsed.feed.get("link") == site.base + feed_dir, f"{label}: feed link {parsed.feed.get('link')}")
    expected = site.expected_urls(feed_dir)
    links = [e.get("link") for e in parsed.entries]
    check(links == expected, f"{label}: entries {links} != {expected}")
    for entry in parsed.entries:
        if entry.get("link") not in site.articles:
            continue
        content = entry.content[0].value if "content" in entry else ""
        published = entry.get("published_parsed")
        published = datetime.datetime(*published[:6]) if published else None
        check_entry(site, f"{label} {entry.link}", entry.link, entry.get("title"), published,
                    content, [t.term for t in entry.get("tags", [])], entry.get("author"))
    return parsed


def check_json_feed(site, feed_dir):
    path = os.path.join(site.output, feed_dir, "feed.json")
    label = f"{os.path.basename(site.root)}/{feed_dir}feed.json"
    feed = json.load(open(path, encoding="utf-8"))
    check(feed.get("version") == JSON_FEED_VERSION, f"{label}: version {feed.get('version')}")
    check(isinstance(feed.get("title"), str) and feed["title"], f"{label}: title")
    check(feed.get("home_page_url") == site.base + feed_dir, f"{label}: home_page_url")
    check(feed.get("feed_url") == site.base + feed_dir + "feed.json", f"{label}: feed_url")
    check("author" not in feed, f"{label}: 1.0 `author` instead of 1.1 `authors`")
    check(all(isinstance(a.get("name"), str) for a in feed.get("authors", [])), f"{label}: authors")
    check(isinstance(feed.get("items"), list), f"{label}: items")
    urls = [item.get("url") for item in feed.get("items", [])]
    check(urls == site.expected_urls(feed_dir), f"{label}: items {urls}")
    for item in feed.get("items", []):
        check(isinstance(item.get("id"), str) and item["id"], f"{label}: item without id")
        check("content_html" in item or "content_text" in item, f"{label}: item without content")
        check("author" not in item, f"{label}: item has 1.0 `author`")
        published = datetime.datetime.fromisoformat(item["date_published"])
        datetime.datetime.fromisoformat(item["date_modified"])
        authors = item.get("authors") or [{}]
        check_entry(site, f"{label} {item['url']}", item["url"], item.get("title"),
                    published.replace(tzinfo=None), item.get("content_html", ""),
                    item.get("tags", []), authors[0].get("name"))


def pages(site):
    """Every HTML page of the output (not the 404 page, not Pagefind's files) by canonical URL."""
    found = {}
    for path in glob.glob(os.path.join(site.output, "**", "index.html"), recursive=True):
        folder = os.path.relpath(os.path.dirname(path), site.output)
        if folder.split(os.sep)[0] == "pagefind":
            continue
        site_path = "" if folder == "." else folder.replace(os.sep, "/") + "/"
        found[site.base + site_path] = open(path, encoding="utf-8").read()
    return found


def check_sitemaps(site):
    label = os.path.basename(site.root)
    for name in ("sitemap.xml", "news-sitemap.xml"):
        result = subprocess.run(["xmllint", "--noout", "--schema", SCHEMA,
                                 os.path.join(site.output, name)], capture_output=True, text=True)
        check(result.returncode == 0, f"{label}/{name}: invalid: {result.stderr.strip()}")
    sitemap = open(os.path.join(site.output, "sitemap.xml"), encoding="utf-8").read()
    locs = re.findall(r"<loc>([^<]*)</loc>", sitemap)
    check(len(locs) == len(set(locs)), f"{label}/sitemap.xml: a URL is listed twice")
    html_pages = pages(site)
    check(set(locs) == set(html_pages),
          f"{label}/sitemap.xml: differs from the pages: "
          f"missing {sorted(set(html_pages) - set(locs))}, extra {sorted(set(locs) - set(html_pages))}")
    for url, html in html_pages.items():
        canonical = re.search(r'<link rel="canonical" href="([^"]*)"', html)
        check(canonical and canonical.group(1) == url, f"{label}: {url} declares another canonical URL")
        check(f'type="application/atom+xml" title="{site.title} (Atom)" href="{site.base}atom.xml"' in html,
              f"{label}: {url} does not link the site's Atom feed")
    news = open(os.path.join(site.output, "news-sitemap.xml"), encoding="utf-8").read()
    dated = sorted((datetime.date.fromisoformat(str(m["date"])[:10]), url)
                   for url, (m, _) in site.articles.items() if "date" in m)
    newest = dated[-1][0]
    expected = {url for day, url in dated if (newest - day).days <= 2}
    news_locs = set(re.findall(r"<loc>([^<]*)</loc>", news))
    check(news_locs == expected, f"{label}/news-sitemap.xml: {news_locs} != {expected}")
    check(f"<news:name>{site.title}</news:name>" in news, f"{label}/news-sitemap.xml: publication")
    robots = open(os.path.join(site.output, "robots.txt"), encoding="utf-8").read()
    check(f"Sitemap: {site.base}sitemap.xml" in robots, f"{label}/robots.txt: no sitemap")


def check_site(root, output):
    build(root, output)
    site = Site(root, output)
    feeds = 0
    for feed_dir in site.feed_dirs():
        check_xml_feed(site, feed_dir, "atom.xml")
        check_xml_feed(site, feed_dir, "rss.xml")
        check_json_feed(site, feed_dir)
        feeds += 3
    check(feeds >= 6, f"{root}: only {feeds} feeds")
    check_sitemaps(site)
    return site, feeds


def awkward_site(tmp):
    root = os.path.join(tmp, "awkward")
    os.makedirs(root)
    shutil.copy(os.path.join(REPO, "site.toml"), root)
    shutil.copytree(os.path.join(REPO, "content"), os.path.join(root, "content"))
    os.symlink(os.path.join(REPO, "themes"), os.path.join(root, "themes"))
    for name, text in AWKWARD_ARTICLES.items():
        with open(os.path.join(root, "content", name), "w", encoding="utf-8") as f:
            f.write(text)
    return root


def main():
    with tempfile.TemporaryDirectory() as tmp:
        _, feeds = check_site(REPO, os.path.join(tmp, "example"))
        root = awkward_site(tmp)
        site, more = check_site(root, os.path.join(tmp, "awkward-out"))
        atom = open(os.path.join(site.output, "atom.xml"), encoding="utf-8").read()
        check("undated note" not in atom, "awkward: the undated article is in the site feed")
        check("Aid &lt;b&gt;stalls&lt;/b&gt; &amp; talks resume" in atom, "awkward: title escaping")
        sitemap = open(os.path.join(site.output, "sitemap.xml"), encoding="utf-8").read()
        check("/an-undated-note/" in sitemap, "awkward: the undated article is not in the sitemap")
        feeds += more
    for failure in failures:
        print("FAIL:", failure)
    print(f"checked {feeds} feeds and 4 sitemaps")
    print(f"feeds: {passed[0]} passed, {len(failures)} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())

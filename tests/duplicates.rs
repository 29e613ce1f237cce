//! End-to-end: the same wire story from two outlets is listed once, and each copy's page
//! names the other outlet, in both themes.

mod common;

use common::{Site, read, repo};

const WIRE: &str = "The central bank raised its main interest rate by a quarter of a point on \
Tuesday, its third increase this year, saying inflation remained too high and that further \
moves could follow if prices kept rising faster than wages. The decision was expected by most \
economists surveyed last week, although two members of the committee voted to hold rates \
steady, citing weaker demand in manufacturing and a slowing housing market across the country.";

fn article(title: &str, date: &str, outlet: &str, body: &str) -> String {
    format!(
        "+++\ntitle = \"{title}\"\ndate = {date}\noutlet = \"{outlet}\"\ntags = [\"Economy\"]\n+++\n\n{body}\n"
    )
}

fn wire_site(dir: &tempfile::TempDir, theme: &str) -> Site {
    let site = Site::at(dir.path().to_path_buf());
    common::copy_dir(&repo().join("themes"), &site.root().join("themes"));
    site.write(
        "site.toml",
        &format!("title = \"Wire\"\nbase_url = \"https://x.org/sub/\"\ntheme = \"{theme}\"\n"),
    );
    site.write(
        "content/bank-raises-rates.md",
        &article(
            "Bank raises rates",
            "2025-03-01",
            "Wire Daily",
            &format!("LONDON (Wire) - {WIRE}"),
        ),
    );
    site.write(
        "content/rates-go-up-again.md",
        &article(
            "Rates go up again",
            "2025-03-02",
            "Evening Post",
            &format!("By our staff. {WIRE}"),
        ),
    );
    site.write(
        "content/harvest.md",
        &article(
            "Harvest comes early",
            "2025-03-03",
            "Farm News",
            "Farmers in the south began bringing in the wheat two weeks earlier than usual after \
             a warm and dry spring, and growers expect yields close to the record of last year \
             despite the shortage of seasonal workers in several regions.",
        ),
    );
    site
}

/// How many times a page links to an article.
fn links_to(html: &str, slug: &str) -> usize {
    html.matches(&format!("href=\"/sub/articles/{slug}/\""))
        .count()
}

#[test]
fn a_story_from_two_outlets_is_listed_once_and_each_copy_names_the_other() {
    for theme in ["default", "newsprint"] {
        let dir = tempfile::tempdir().unwrap();
        let site = wire_site(&dir, theme);
        site.build_ok(&[]);
        let out = site.output();
        for list in [
            "index.html",
            "tags/economy/index.html",
            "archive/2025/03/index.html",
        ] {
            let html = read(&out.join(list));
            assert!(
                links_to(&html, "bank-raises-rates") > 0,
                "{theme} {list}: the earliest copy stands for the story"
            );
            assert_eq!(
                links_to(&html, "rates-go-up-again"),
                0,
                "{theme} {list}: the later copy is not listed"
            );
            assert!(links_to(&html, "harvest-comes-early") > 0, "{theme} {list}");
        }
        // Three articles carry the tag, one a copy: the index of tags counts the story once.
        let tags = read(&out.join("tags/index.html"));
        let count = if theme == "default" {
            "2 articles"
        } else {
            "(2)"
        };
        assert!(tags.contains(count), "{theme}: {tags}");
        let first = read(&out.join("articles/bank-raises-rates/index.html"));
        let second = read(&out.join("articles/rates-go-up-again/index.html"));
        let harvest = read(&out.join("articles/harvest-comes-early/index.html"));
        assert!(
            first.contains(
                "Also reported by <a href=\"/sub/articles/rates-go-up-again/\">Evening Post</a>"
            ),
            "{theme}"
        );
        assert!(
            second.contains(
                "Also reported by <a href=\"/sub/articles/bank-raises-rates/\">Wire Daily</a>"
            ),
            "{theme}"
        );
        assert!(!harvest.contains("Also reported by"), "{theme}");
    }
}

#[test]
fn related_news_holds_no_copy_of_the_article_and_each_other_story_once() {
    let dir = tempfile::tempdir().unwrap();
    let site = wire_site(&dir, "default");
    site.write(
        "content/mortgages.md",
        &article(
            "Mortgage costs climb after the central bank raised its interest rate",
            "2025-03-04",
            "Money Weekly",
            "Lenders raised mortgage rates a day after the central bank raised its main interest \
             rate by a quarter of a point, its third increase this year. The bank said inflation \
             remained too high, and economists expect further moves if prices keep rising faster \
             than wages; two members of the committee had voted to hold rates steady.",
        ),
    );
    site.build_ok(&[]);
    let index: serde_json::Value =
        serde_json::from_str(&read(&site.output().join("index.json"))).unwrap();
    let related = |slug: &str| -> Vec<String> {
        let articles = index["articles"].as_array().unwrap();
        let article = articles
            .iter()
            .find(|a| a["url"].as_str().unwrap().contains(&format!("/{slug}/")))
            .unwrap();
        let links = article["related"].as_array().unwrap();
        links
            .iter()
            .map(|l| l.as_str().unwrap().to_string())
            .collect()
    };
    let copies = ["bank-raises-rates", "rates-go-up-again"];
    for copy in copies {
        let links = related(copy);
        assert!(
            copies.iter().all(|c| !links.iter().any(|l| l.contains(c))),
            "{copy}: {links:?}"
        );
    }
    let links = related("mortgage-costs-climb-after-the-central-bank-raised-its-interest-rate");
    let listed = |slug: &str| links.iter().filter(|l| l.contains(slug)).count();
    assert_eq!(listed("bank-raises-rates"), 1, "{links:?}");
    assert_eq!(listed("rates-go-up-again"), 0, "{links:?}");
}

/// Every page the sitemap names was built: lists count a story from two outlets once, and so
/// does the sitemap when it counts their pages (it counted every copy, and named pages past
/// the end of a list).
#[test]
fn the_sitemap_names_only_pages_that_were_built() {
    let dir = tempfile::tempdir().unwrap();
    let site = wire_site(&dir, "default");
    let config = read(&site.root().join("site.toml"));
    site.write("site.toml", &format!("paginate_by = 1\n{config}"));
    site.build_ok(&[]);
    let sitemap = read(&site.output().join("sitemap.xml"));
    let locations: Vec<&str> = sitemap
        .split("<loc>")
        .skip(1)
        .filter_map(|rest| rest.split("</loc>").next())
        .collect();
    assert!(locations.len() > 5, "{sitemap}");
    for location in &locations {
        let site_path = location.strip_prefix("https://x.org/sub/").unwrap();
        assert!(
            common::resolve(&site.output(), site_path).is_some(),
            "{location} is in the sitemap but was not built"
        );
    }
    // Three articles, two of them one story: two pages of the Economy tag, not three.
    assert!(sitemap.contains("https://x.org/sub/tags/economy/page/2/"));
    assert!(!sitemap.contains("https://x.org/sub/tags/economy/page/3/"));
    assert!(!sitemap.contains("https://x.org/sub/page/3/"));
}

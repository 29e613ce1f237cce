//! Hostile values in every field an editor or an import can fill never become markup, in any
//! theme.

mod common;

use common::{Site, read};

const HOSTILE: &str = "x\\\"><script>alert(1)</script><img src=x onerror='alert(2)'>&amp;";

fn hostile_article() -> String {
    let h = HOSTILE;
    format!(
        "+++\ntitle = \"{h} title\"\ndate = 2025-01-01\ndek = \"{h}\"\nsummary = \"{h}\"\nauthor = \"{h}\"\noutlet = \"{h}\"\nsource_url = \"https://x.org/?q=\\\"><script>alert(3)</script>\"\ntopics = [\"{h} topic\"]\ntags = [\"{h} tag\"]\nhighlights = [\"{h}\"]\nrelated_headlines = [\"{h}\", {{ title = \"{h}\", url = \"https://x.org/\\\"onmouseover=\\\"alert(4)\" }}]\n[[quotes]]\ntext = \"{h}\"\nspeaker = \"{h}\"\ncontext = \"{h}\"\n+++\nBody with <b onclick=\"alert(5)\">raw</b> HTML.\n"
    )
}

#[test]
fn no_theme_lets_a_value_become_markup() {
    for theme in ["default", "newsprint"] {
        let site = Site::example();
        let config = read(&site.root().join("site.toml"))
            .replace("theme = \"default\"", &format!("theme = \"{theme}\""));
        site.write("site.toml", &config);
        site.write("content/hostile.md", &hostile_article());
        site.build_ok(&[]);
        let mut pages = 0;
        for page in common::html_files(&site.output()) {
            let html = without_json_ld(&read(&page));
            for needle in [
                "<script>alert",
                "<img src=x",
                "onerror='",
                "onclick=",
                "\"onmouseover",
                "\"><script",
            ] {
                assert!(
                    !html.contains(needle),
                    "{theme}: {} contains {needle:?}",
                    page.display()
                );
            }
            pages += 1;
        }
        let article = common::html_files(&site.output())
            .into_iter()
            .find(|p| p.to_string_lossy().contains("articles/x-script"))
            .expect("the hostile article has a page");
        assert!(read(&article).contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
        assert!(pages > 10);
    }
}

/// The page with its JSON-LD blocks cut out, after checking that they cannot close their script
/// element (values there are JSON strings, where quotes and `onerror=` are harmless text).
fn without_json_ld(html: &str) -> String {
    const OPEN: &str = "<script type=\"application/ld+json\">";
    let mut out = String::new();
    let mut rest = html;
    while let Some(start) = rest.find(OPEN) {
        out.push_str(&rest[..start]);
        let after = &rest[start + OPEN.len()..];
        let end = after.find("</script>").expect("a closed JSON-LD block");
        assert!(!after[..end].contains('<'), "JSON-LD holds a raw `<`");
        rest = &after[end + "</script>".len()..];
    }
    out.push_str(rest);
    out
}

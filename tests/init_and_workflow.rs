//! `briefing init` makes a site that builds and checks clean, and its GitHub Pages workflow
//! (like the repository's own) is valid YAML with the steps, permissions and concurrency that
//! publishing needs.

mod common;

use common::pages::{briefing, briefing_ok};
use common::repo;
use serde_norway::Value;

/// The actions a Pages workflow uses, at their current major versions.
const PAGES_ACTIONS: [&str; 4] = [
    "actions/checkout@v6",
    "actions/configure-pages@v6",
    "actions/upload-pages-artifact@v5",
    "actions/deploy-pages@v5",
];

#[test]
fn init_in_an_empty_folder_then_build_and_check_pass() {
    let dir = tempfile::tempdir().unwrap();
    briefing_ok(dir.path(), &["init", "news"]);
    let site = dir.path().join("news");
    for file in [
        "site.toml",
        "content/welcome.md",
        ".gitignore",
        ".github/workflows/pages.yml",
        "themes/default/templates/base.html",
        "themes/default/static/style.css",
    ] {
        assert!(site.join(file).is_file(), "init wrote no {file}");
    }
    let built = briefing_ok(&site, &["build"]);
    assert!(built.contains("Built 1 article(s)"), "{built}");
    let checked = briefing_ok(&site, &["check"]);
    assert!(checked.contains("; 0 broken."), "{checked}");
    assert!(
        site.join("output/articles/welcome-to-your-briefing/index.html")
            .is_file()
    );
    assert!(site.join("output/.nojekyll").is_file());
    let gitignore = std::fs::read_to_string(site.join(".gitignore")).unwrap();
    assert!(gitignore.lines().any(|l| l == "/output/"), "{gitignore}");
}

#[test]
fn every_embedded_theme_makes_a_site_that_builds_and_checks_under_a_sub_path() {
    let base = ["--base-url", "https://example.github.io/briefing/"];
    for theme in briefing::init::theme_names() {
        let dir = tempfile::tempdir().unwrap();
        briefing_ok(dir.path(), &["init", "--theme", theme]);
        briefing_ok(dir.path(), &[&["build"], &base[..]].concat());
        let checked = briefing_ok(dir.path(), &[&["check"], &base[..]].concat());
        assert!(checked.contains("; 0 broken."), "{theme}: {checked}");
        let toml = std::fs::read_to_string(dir.path().join("site.toml")).unwrap();
        assert!(toml.contains(&format!("theme = \"{theme}\"")), "{toml}");
    }
}

#[test]
fn init_refuses_an_existing_site_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("site.toml"), "title = \"Mine\"\n").unwrap();
    let output = briefing(dir.path(), &["init"]);
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("already a briefing site"), "{stderr}");
    assert_eq!(
        std::fs::read_to_string(dir.path().join("site.toml")).unwrap(),
        "title = \"Mine\"\n"
    );
    assert!(!dir.path().join("content").exists());
    let output = briefing(dir.path(), &["init", "other", "--theme", "nope"]);
    assert_eq!(output.status.code(), Some(2));
}

#[test]
fn the_generated_workflow_publishes_with_the_pages_base_url() {
    let dir = tempfile::tempdir().unwrap();
    briefing_ok(dir.path(), &["init"]);
    let text = std::fs::read_to_string(dir.path().join(".github/workflows/pages.yml")).unwrap();
    let workflow = assert_pages_workflow(&text);
    let install = run_commands(&workflow["jobs"]["build"]);
    assert!(
        install
            .iter()
            .any(|r| r.starts_with("cargo install --locked briefing")),
        "{install:?}"
    );
}

#[test]
fn the_repository_publishes_its_example_briefing_the_same_way() {
    let text = std::fs::read_to_string(repo().join(".github/workflows/pages.yml")).unwrap();
    let workflow = assert_pages_workflow(&text);
    let runs = run_commands(&workflow["jobs"]["build"]);
    assert!(
        runs.iter().any(|r| r.contains("cargo build --release")),
        "{runs:?}"
    );
}

/// Asserts what every Pages workflow of briefing must do, and returns it parsed.
fn assert_pages_workflow(text: &str) -> Value {
    let workflow: Value = serde_norway::from_str(text).expect("the workflow is valid YAML");
    assert!(workflow["on"]["push"].is_mapping(), "runs on push");
    assert_eq!(
        workflow["permissions"],
        Value::Mapping(Default::default()),
        "no permission by default"
    );
    assert_eq!(workflow["concurrency"]["group"].as_str(), Some("pages"));
    assert_eq!(
        workflow["concurrency"]["cancel-in-progress"].as_bool(),
        Some(false)
    );
    let build = &workflow["jobs"]["build"];
    let deploy = &workflow["jobs"]["deploy"];
    assert_eq!(permissions(build), ["contents: read", "pages: read"]);
    assert_eq!(
        permissions(deploy),
        ["actions: read", "id-token: write", "pages: write"]
    );
    assert_eq!(deploy["needs"].as_str(), Some("build"));
    assert_eq!(deploy["environment"]["name"].as_str(), Some("github-pages"));
    let mut used = uses(build);
    used.extend(uses(deploy));
    assert_eq!(used, PAGES_ACTIONS);

    let steps = build["steps"].as_sequence().unwrap();
    let configure = steps
        .iter()
        .find(|s| s["uses"].as_str() == Some("actions/configure-pages@v6"))
        .unwrap();
    let id = configure["id"].as_str().expect("configure-pages has an id");
    let base_url = format!("${{{{ steps.{id}.outputs.base_url }}}}");
    for command in ["build", "check"] {
        let step = steps
            .iter()
            .find(|s| {
                s["run"]
                    .as_str()
                    .is_some_and(|r| r.contains(&format!("briefing {command} --base-url")))
            })
            .unwrap_or_else(|| panic!("no `briefing {command}` step"));
        let env_value = step["env"]["BASE_URL"].as_str();
        assert_eq!(
            env_value,
            Some(base_url.as_str()),
            "{command} uses the Pages URL"
        );
        assert!(step["run"].as_str().unwrap().contains("\"$BASE_URL/\""));
    }
    let upload = steps
        .iter()
        .find(|s| s["uses"].as_str() == Some("actions/upload-pages-artifact@v5"))
        .unwrap();
    assert_eq!(upload["with"]["path"].as_str(), Some("output"));
    let deployment = &deploy["steps"][0];
    let deploy_id = deployment["id"].as_str().unwrap();
    assert_eq!(
        deploy["environment"]["url"].as_str(),
        Some(format!("${{{{ steps.{deploy_id}.outputs.page_url }}}}").as_str())
    );
    workflow
}

fn permissions(job: &Value) -> Vec<String> {
    let mut list: Vec<String> = job["permissions"]
        .as_mapping()
        .expect("the job names its permissions")
        .iter()
        .map(|(k, v)| format!("{}: {}", k.as_str().unwrap(), v.as_str().unwrap()))
        .collect();
    list.sort();
    list
}

fn uses(job: &Value) -> Vec<String> {
    step_values(job, "uses")
}

fn run_commands(job: &Value) -> Vec<String> {
    step_values(job, "run")
}

/// The values of `key` in a job's steps, in order, for the steps that have it.
fn step_values(job: &Value, key: &str) -> Vec<String> {
    job["steps"]
        .as_sequence()
        .unwrap()
        .iter()
        .filter_map(|s| s[key].as_str().map(str::to_string))
        .collect()
}

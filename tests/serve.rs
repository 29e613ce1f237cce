//! End-to-end tests of `briefing serve`: a preview of a copy of the example site, asked over
//! real HTTP connections, with requests written by hand so that `..` reaches the server as is.

use std::fs;
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::Path;
use std::time::{Duration, Instant};

use briefing::BuildOptions;
use briefing::config::Overrides;
use briefing::serve::{Outcome, Pass, Preview};
use chrono::NaiveDate;

mod common;

use common::{copy_dir, start_preview as start};

/// A copy of the example site, published under `/briefing/`, and a secret beside it.
fn example_site() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let site = dir.path().join("site");
    for folder in ["content", "themes"] {
        copy_dir(&repo.join(folder), &site.join(folder));
    }
    fs::copy(repo.join("site.toml"), site.join("site.toml")).unwrap();
    fs::create_dir(dir.path().join("outside")).unwrap();
    fs::write(dir.path().join("outside/secret.txt"), "SECRET").unwrap();
    dir
}

/// A response: status, headers (lower-cased names) and body.
struct Answer {
    status: u16,
    headers: Vec<(String, String)>,
    body: String,
}

impl Answer {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

fn request(address: SocketAddr, method: &str, target: &str) -> Answer {
    let mut stream = TcpStream::connect(address).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    write!(
        stream,
        "{method} {target} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).unwrap();
    let text = String::from_utf8_lossy(&raw).into_owned();
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let mut lines = head.lines();
    let status = lines.next().unwrap().split(' ').nth(1).unwrap();
    let headers = lines
        .filter_map(|line| line.split_once(':'))
        .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_string()))
        .collect();
    Answer {
        status: status.parse().unwrap(),
        headers,
        body: body.to_string(),
    }
}

fn get(address: SocketAddr, target: &str) -> Answer {
    request(address, "GET", target)
}

#[test]
fn the_site_is_served_under_its_base_path_with_mime_types_and_its_404_page() {
    let dir = example_site();
    let preview = start(&dir.path().join("site"));
    let address = preview.address();
    assert!(preview.url().ends_with("/briefing/"), "{}", preview.url());

    let home = get(address, "/briefing/");
    assert_eq!(home.status, 200);
    assert_eq!(
        home.header("content-type"),
        Some("text/html; charset=utf-8")
    );
    assert!(home.body.contains("Ukraine Briefing"));
    assert!(home.body.contains("briefing-live-reload"));
    assert!(
        home.body.contains(&format!("http://{address}/briefing/")),
        "canonical links point at the preview"
    );

    let css = get(address, "/briefing/style.css");
    assert_eq!(css.status, 200);
    assert_eq!(css.header("content-type"), Some("text/css; charset=utf-8"));
    let json = get(address, "/briefing/index.json");
    assert_eq!(
        json.header("content-type"),
        Some("application/json; charset=utf-8")
    );

    assert_eq!(get(address, "/").header("location"), Some("/briefing/"));
    assert_eq!(
        get(address, "/briefing/topics").header("location"),
        Some("/briefing/topics/")
    );
    let missing = get(address, "/briefing/no-such-page/");
    assert_eq!(missing.status, 404);
    assert!(
        missing.body.contains("Page not found"),
        "the site's 404 page"
    );
    assert_eq!(
        get(address, "/style.css").status,
        404,
        "outside the base path"
    );
    assert_eq!(request(address, "HEAD", "/briefing/").status, 200);
    assert_eq!(request(address, "POST", "/briefing/").status, 405);
    preview.stop();
}

#[test]
fn no_request_reaches_a_file_outside_the_site() {
    let dir = example_site();
    let site = dir.path().join("site");
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink(dir.path().join("outside"), site.join("outside-link")).unwrap();
        std::os::unix::fs::symlink(dir.path().join("outside"), site.join("content/linked"))
            .unwrap();
    }
    let preview = start(&site);
    let address = preview.address();
    let attempts = [
        "/briefing/../outside/secret.txt",
        "/briefing/../../outside/secret.txt",
        "/briefing/%2e%2e/%2e%2e/outside/secret.txt",
        "/briefing/%2E%2E%2F%2E%2E%2Foutside%2Fsecret.txt",
        "/briefing/..%5c..%5coutside%5csecret.txt",
        "/briefing/articles/%2e%2e/%2e%2e/site.toml",
        "/briefing/outside-link/secret.txt",
        "/briefing/content/linked/secret.txt",
        "/briefing/site.toml",
        "/briefing/content/trump-halts-talks-to-call-putin-tests-western-unity.md",
        "/briefing/themes/default/templates/base.html",
        "/outside/secret.txt",
    ];
    for target in attempts {
        let answer = get(address, target);
        assert!(
            matches!(answer.status, 403 | 404),
            "{target}: {}",
            answer.status
        );
        assert!(!answer.body.contains("SECRET"), "{target}");
        assert!(!answer.body.contains("base_url"), "{target}");
    }
    preview.stop();
}

#[test]
fn many_concurrent_requests_are_answered() {
    let dir = example_site();
    let preview = start(&dir.path().join("site"));
    let address = preview.address();
    let clients: Vec<_> = (0..32)
        .map(|i| {
            std::thread::spawn(move || {
                let target = if i % 2 == 0 {
                    "/briefing/"
                } else {
                    "/briefing/style.css"
                };
                (0..10).all(|_| get(address, target).status == 200)
            })
        })
        .collect();
    for client in clients {
        assert!(client.join().unwrap());
    }
    preview.stop();
}

/// Polls `target` until its body satisfies `done`, for at most ten seconds.
fn wait_for(address: SocketAddr, target: &str, done: impl Fn(&Answer) -> bool) -> Answer {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let answer = get(address, target);
        if done(&answer) || Instant::now() > deadline {
            return answer;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn an_edit_on_disk_is_served_and_a_broken_file_keeps_the_last_good_site() {
    let dir = example_site();
    let site = dir.path().join("site");
    let preview = start(&site);
    let address = preview.address();
    let article = site.join("content/trump-halts-talks-to-call-putin-tests-western-unity.md");
    let original = fs::read_to_string(&article).unwrap();

    // An editor's atomic save: write a temporary file, then rename it over the article.
    let edited = format!("{original}\nA freshly edited paragraph.\n");
    let temporary = site.join("content/.edit.tmp");
    fs::write(&temporary, &edited).unwrap();
    fs::rename(&temporary, &article).unwrap();
    let page = "/briefing/articles/trump-halts-talks-to-call-putin-tests-western-unity/";
    let answer = wait_for(address, page, |a| {
        a.body.contains("A freshly edited paragraph")
    });
    assert!(answer.body.contains("A freshly edited paragraph"));

    fs::write(
        &article,
        edited.replacen("date = 2025-08-18", "date = \"someday\"", 1),
    )
    .unwrap();
    std::thread::sleep(Duration::from_millis(500));
    let answer = get(address, page);
    assert_eq!(answer.status, 200, "the last good site is still served");
    assert!(answer.body.contains("A freshly edited paragraph"));

    fs::write(&article, &original).unwrap();
    let answer = wait_for(address, page, |a| {
        !a.body.contains("A freshly edited paragraph")
    });
    assert!(!answer.body.contains("A freshly edited paragraph"));
    preview.stop();
}

/// The body of a response, as bytes (asked in HTTP/1.0, so that it is not sent in chunks).
fn get_bytes(address: SocketAddr, target: &str) -> Vec<u8> {
    let mut stream = TcpStream::connect(address).unwrap();
    write!(stream, "GET {target} HTTP/1.0\r\nHost: localhost\r\n\r\n").unwrap();
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).unwrap();
    let end = raw.windows(4).position(|w| w == b"\r\n\r\n").unwrap() + 4;
    raw.split_off(end)
}

/// A served page without the live-reload script, as `briefing build` writes it.
fn without_reload_script(mut page: Vec<u8>) -> Vec<u8> {
    let start = page
        .windows(33)
        .position(|w| w == b"<script id=\"briefing-live-reload\"");
    if let Some(start) = start {
        // The script ends with a line break of its own.
        let length = page[start..]
            .windows(10)
            .position(|w| w == b"</script>\n")
            .unwrap()
            + 10;
        page.drain(start..start + length);
    }
    page
}

#[test]
fn after_an_edit_the_fast_pass_serves_it_and_the_whole_pass_matches_a_clean_build() {
    let dir = example_site();
    let site = dir.path().join("site");
    let options = BuildOptions {
        root: site.clone(),
        overrides: Overrides::default(),
        drafts: false,
        today: NaiveDate::from_ymd_opt(2026, 1, 1).unwrap(),
        force: true,
        memory_hint: None,
    };
    let (outcomes, passes) = std::sync::mpsc::channel();
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let preview = Preview::start(listener, options.clone(), move |outcome| {
        let pass = match outcome {
            Outcome::Built { pass, .. } | Outcome::Failed { pass, .. } => *pass,
        };
        let _ = outcomes.send((pass, matches!(outcome, Outcome::Built { .. })));
    })
    .unwrap();
    let address = preview.address();
    assert_eq!(passes.recv().unwrap(), (Pass::Whole, true));
    let article = site.join("content/trump-halts-talks-to-call-putin-tests-western-unity.md");
    let original = fs::read_to_string(&article).unwrap();
    fs::write(
        &article,
        format!("{original}\nA paragraph added in the preview.\n"),
    )
    .unwrap();

    let (pass, built) = passes.recv_timeout(Duration::from_secs(30)).unwrap();
    assert_eq!(
        (pass, built),
        (Pass::Fast, true),
        "the edit takes the fast pass"
    );
    let page = get(
        address,
        "/briefing/articles/trump-halts-talks-to-call-putin-tests-western-unity/",
    );
    assert!(page.body.contains("A paragraph added in the preview."));
    loop {
        let (pass, built) = passes.recv_timeout(Duration::from_secs(60)).unwrap();
        if pass == Pass::Whole {
            assert!(built);
            break;
        }
    }

    let out = dir.path().join("built");
    let mut clean = options;
    clean.overrides.base_url = Some(format!("http://{address}/briefing/"));
    clean.overrides.output_dir = Some(out.clone());
    briefing::build(&clean).unwrap();
    let mut compared = 0;
    for entry in walkdir::WalkDir::new(&out) {
        let entry = entry.unwrap();
        let relative = entry.path().strip_prefix(&out).unwrap().to_string_lossy();
        if !entry.file_type().is_file() || relative.starts_with('.') {
            continue;
        }
        let served = get_bytes(address, &format!("/briefing/{relative}"));
        let built = fs::read(entry.path()).unwrap();
        assert!(without_reload_script(served) == built, "{relative} differs");
        compared += 1;
    }
    assert!(compared > 50, "{compared} files compared");
    preview.stop();
}

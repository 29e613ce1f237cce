//! Links to other sites, checked only with `--external`: each URL once, `HEAD` first and `GET`
//! when a server refuses `HEAD`. Without a network (no host name resolves) the check is
//! skipped with a message instead of reporting every link as broken.

use std::collections::BTreeMap;
use std::net::ToSocketAddrs;
use std::time::Duration;

use rayon::prelude::*;

use super::BrokenLink;

/// External URLs, each with the pages (and their sources) that link to it.
pub type ExternalLinks = BTreeMap<String, Vec<(String, String)>>;

/// How long one external URL may take, redirects included.
const TIMEOUT: Duration = Duration::from_secs(20);

/// What became of the external links.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ExternalOutcome {
    /// `--external` was not given; this many distinct URLs were not checked.
    NotAsked { links: usize },
    /// There was no network; this many distinct URLs were not checked.
    Skipped { links: usize, reason: String },
    /// This many distinct URLs were checked.
    Checked { links: usize },
}

/// Checks every external URL, adding one broken link per page that holds a failing URL.
pub fn check(links: &ExternalLinks, broken: &mut Vec<BrokenLink>) -> ExternalOutcome {
    let hosts: BTreeMap<&str, bool> = links
        .keys()
        .filter_map(|url| host_and_port(url))
        .collect::<BTreeMap<_, _>>()
        .into_par_iter()
        .map(|(host, port)| (host, (host, port).to_socket_addrs().is_ok()))
        .collect();
    if !links.is_empty() && !hosts.values().any(|resolved| *resolved) {
        return ExternalOutcome::Skipped {
            links: links.len(),
            reason: "no network: none of the linked host names resolves".into(),
        };
    }
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .timeout_global(Some(TIMEOUT))
        .http_status_as_error(false)
        .build()
        .into();
    let failures: Vec<(&String, String)> = links
        .par_iter()
        .filter_map(|(url, _)| {
            let resolved = host_and_port(url).and_then(|(host, _)| hosts.get(host).copied());
            let outcome = match resolved {
                Some(true) => fetch(&agent, url),
                Some(false) => Err("the host name does not resolve".to_string()),
                None => Err("not a valid URL".to_string()),
            };
            outcome.err().map(|reason| (url, reason))
        })
        .collect();
    for (url, reason) in failures {
        for (page, source) in &links[url] {
            broken.push(BrokenLink {
                page: page.clone(),
                source: source.clone(),
                url: url.clone(),
                reason: reason.clone(),
            });
        }
    }
    ExternalOutcome::Checked { links: links.len() }
}

/// Asks for a URL; a status of 400 or more, or no answer, is a broken link.
fn fetch(agent: &ureq::Agent, url: &str) -> Result<(), String> {
    let status = match agent.head(url).call() {
        // Some servers refuse or do not implement HEAD; ask again with GET.
        Ok(response) if matches!(response.status().as_u16(), 400 | 403 | 405 | 501) => {
            agent.get(url).call().map(|r| r.status())
        }
        other => other.map(|r| r.status()),
    }
    .map_err(|e| format!("no answer: {e}"))?;
    if status.as_u16() >= 400 {
        Err(format!("the server answers HTTP {}", status.as_u16()))
    } else {
        Ok(())
    }
}

/// The host and port of an `http` or `https` URL.
fn host_and_port(url: &str) -> Option<(&str, u16)> {
    let (scheme, rest) = url.split_once("://")?;
    let default_port = match scheme {
        "http" => 80,
        "https" => 443,
        _ => return None,
    };
    let authority = rest.split(['/', '?', '#']).next()?;
    let authority = authority.rsplit_once('@').map_or(authority, |(_, a)| a);
    let (host, port) = match authority.rsplit_once(':') {
        Some((host, port)) if !port.contains(']') => (host, port.parse().ok()?),
        _ => (authority, default_port),
    };
    let host = host.trim_start_matches('[').trim_end_matches(']');
    (!host.is_empty()).then_some((host, port))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn host_and_port_come_from_the_authority() {
        assert_eq!(host_and_port("https://x.org/a"), Some(("x.org", 443)));
        assert_eq!(
            host_and_port("http://127.0.0.1:8080/a?b"),
            Some(("127.0.0.1", 8080))
        );
        assert_eq!(host_and_port("http://[::1]:81/"), Some(("::1", 81)));
        assert_eq!(host_and_port("ftp://x.org/"), None);
        assert_eq!(host_and_port("https:///a"), None);
    }

    #[test]
    fn with_no_resolvable_host_the_check_is_skipped() {
        let links = ExternalLinks::from([(
            "https://no-such-host.invalid/".to_string(),
            vec![("index.html".to_string(), "index.html".to_string())],
        )]);
        let mut broken = Vec::new();
        let outcome = check(&links, &mut broken);
        assert!(
            matches!(outcome, ExternalOutcome::Skipped { links: 1, .. }),
            "{outcome:?}"
        );
        assert!(broken.is_empty());
    }
}

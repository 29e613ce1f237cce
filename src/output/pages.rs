//! The files GitHub Pages reads: `.nojekyll`, so it serves the site as built (Jekyll would
//! drop files and folders starting with `_`), and `CNAME` for a custom domain.

use crate::config::Config;
use crate::render::RenderedFile;

/// `.nojekyll` always, and `CNAME` when `site.toml` sets `cname`.
pub fn pages_files(config: &Config) -> Vec<RenderedFile> {
    let mut files = vec![RenderedFile::new(".nojekyll", "")];
    if let Some(cname) = &config.cname {
        files.push(RenderedFile::new("CNAME", format!("{cname}\n")));
    }
    files
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cname_is_written_only_when_set() {
        let mut config = Config::default();
        let paths = |c: &Config| {
            pages_files(c)
                .into_iter()
                .map(|f| f.path)
                .collect::<Vec<_>>()
        };
        assert_eq!(paths(&config), [".nojekyll"]);
        config.cname = Some("news.example.org".into());
        let files = pages_files(&config);
        assert_eq!(files[1].path, "CNAME");
        assert_eq!(files[1].bytes, b"news.example.org\n");
    }
}

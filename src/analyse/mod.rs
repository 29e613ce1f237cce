//! Analysis: what each article is about, as numbers the grouping stages can compare.
//!
//! For every article: its TF-IDF vector over stemmed words and phrases, the entities it names
//! (merged across the site), and the year it is about. Topics and related news both read this,
//! so the text is analysed once per build.

pub mod cluster;
pub mod entities;
pub mod resolve;
pub mod tokens;
pub mod vectors;

//! Rebuilds the binary when a theme changes, since `briefing init` embeds `themes/`.
fn main() {
    println!("cargo:rerun-if-changed=themes");
}

fn main() {
    let path = std::env::args().nth(1).unwrap();
    let text = std::fs::read_to_string(path).unwrap();
    for (i, l) in briefing::ingest::text::lines(&text).iter().enumerate() {
        println!(
            "{i:4} w{:3} s{:.2} c{:.2} {} {}",
            l.words,
            l.stop_ratio,
            l.capital_ratio,
            if l.is_prose() { "P" } else { " " },
            l.text.chars().take(60).collect::<String>()
        );
    }
}

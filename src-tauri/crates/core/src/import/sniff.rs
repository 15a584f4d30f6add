//! Which delimiter the file uses: comma, semicolon (Excel in much of Europe)
//! or tab. The one that splits the header row into the most columns and keeps
//! the next rows at the same width wins; comma on a tie.

pub const CANDIDATES: [(u8, &str); 3] = [(b',', "comma"), (b';', "semicolon"), (b'\t', "tab")];

fn widths(text: &str, delimiter: u8) -> Vec<usize> {
    csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes())
        .records()
        .take(20)
        .map_while(Result::ok)
        .map(|r| r.len())
        .collect()
}

/// The delimiter byte and its name.
pub fn delimiter(text: &str) -> (u8, &'static str) {
    let mut best = CANDIDATES[0];
    let mut best_score = (0usize, 0usize);
    for candidate in CANDIDATES {
        let w = widths(text, candidate.0);
        let Some(&header) = w.first() else { continue };
        let consistent = w.iter().filter(|&&n| n == header).count();
        let score = (if header > 1 { consistent } else { 0 }, header);
        if score > best_score {
            best = candidate;
            best_score = score;
        }
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn comma_semicolon_and_tab_are_told_apart() {
        assert_eq!(delimiter("a,b,c\n1,2,3\n").1, "comma");
        assert_eq!(delimiter("a;b;c\n\"1,5\";2;3\n").1, "semicolon");
        assert_eq!(delimiter("a\tb\tc\n1,2\t2\t3\n").1, "tab");
        assert_eq!(delimiter("just one column\n").1, "comma");
    }
}

//! The portable dialect's text turned into PostgreSQL's.

/// `sql` with its `?N` placeholders written `$N` (a bare `?` takes the next
/// number, as in SQLite). Quoted strings, quoted names and comments are left
/// as they are, so a `?` inside a literal stays a question mark.
pub fn to_postgres(sql: &str) -> String {
    let mut out = String::with_capacity(sql.len() + 8);
    let mut chars = sql.char_indices().peekable();
    let mut next = 1usize;
    while let Some((_, c)) = chars.next() {
        match c {
            '\'' | '"' => {
                out.push(c);
                // To the closing quote; a doubled quote inside is an escaped one and
                // simply closes and reopens.
                for (_, d) in chars.by_ref() {
                    out.push(d);
                    if d == c {
                        break;
                    }
                }
            }
            '-' if chars.peek().is_some_and(|&(_, d)| d == '-') => {
                out.push(c);
                for (_, d) in chars.by_ref() {
                    out.push(d);
                    if d == '\n' {
                        break;
                    }
                }
            }
            '/' if chars.peek().is_some_and(|&(_, d)| d == '*') => {
                out.push(c);
                let mut star = false;
                for (_, d) in chars.by_ref() {
                    out.push(d);
                    if star && d == '/' {
                        break;
                    }
                    star = d == '*';
                }
            }
            '?' => {
                let mut digits = String::new();
                while let Some(&(_, d)) = chars.peek().filter(|(_, d)| d.is_ascii_digit()) {
                    digits.push(d);
                    chars.next();
                }
                out.push('$');
                if digits.is_empty() {
                    out.push_str(&next.to_string());
                    next += 1;
                } else {
                    next = digits.parse::<usize>().map_or(next, |n| n + 1);
                    out.push_str(&digits);
                }
            }
            _ => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::to_postgres;

    #[test]
    fn numbered_and_bare_placeholders_become_dollar_numbers() {
        assert_eq!(
            to_postgres("INSERT INTO settings (key, value) VALUES (?1, ?2) ON CONFLICT (key) DO UPDATE SET value = excluded.value"),
            "INSERT INTO settings (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = excluded.value"
        );
        assert_eq!(to_postgres("SELECT a FROM t WHERE b = ?12 OR c = ?3"), "SELECT a FROM t WHERE b = $12 OR c = $3");
        assert_eq!(to_postgres("SELECT ? , ?"), "SELECT $1 , $2");
    }

    #[test]
    fn a_question_mark_in_a_literal_a_name_or_a_comment_stays() {
        assert_eq!(
            to_postgres("SELECT 'why?' || ?1, \"odd?name\" FROM t -- really?\nWHERE x = ?2"),
            "SELECT 'why?' || $1, \"odd?name\" FROM t -- really?\nWHERE x = $2"
        );
        assert_eq!(to_postgres("SELECT 'it''s ?' /* a ? */, ?1"), "SELECT 'it''s ?' /* a ? */, $1");
    }
}

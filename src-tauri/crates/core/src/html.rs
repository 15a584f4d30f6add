//! Escaping text for HTML, shared by the letters and the answer package:
//! anything a user or a subject typed becomes text, never markup.

/// Escapes text for HTML element content and attribute values.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn markup_typed_by_a_subject_stays_text() {
        assert_eq!(super::escape(r#"<b onclick="x">O'Brien & Co</b>"#), "&lt;b onclick=&quot;x&quot;&gt;O&#39;Brien &amp; Co&lt;/b&gt;");
    }
}

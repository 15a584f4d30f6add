//! Fills a template with a request's values and produces both alternatives.
//!
//! Values are inserted as typed into the plain text; the HTML is made from the
//! filled-in text with *everything* escaped (the template's words, the subject's
//! name, the officer's reasons), so nothing anyone typed can become markup. A
//! paragraph whose placeholders are all empty (an optional "what we kept") is
//! left out of both alternatives, and so is a line whose placeholders are all
//! empty (the "Data protection officer:" line where none is appointed). A
//! paragraph marked `[for …]`/`[not …]` is kept only for the families of law it
//! names (see [`crate::letters::templates::Family`]).

use std::collections::HashMap;

use crate::domain::lang::Lang;
use crate::letters::templates::{condition, Family, Source, LAYOUT_HTML};

/// A letter, filled in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rendered {
    pub subject: String,
    pub text: String,
    pub html: String,
}

pub use crate::html::escape as escape_html;

fn fill(text: &str, values: &HashMap<&str, String>) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find("{{") {
        out.push_str(&rest[..start]);
        let after = &rest[start + 2..];
        let Some(end) = after.find("}}") else {
            out.push_str(&rest[start..]);
            return out;
        };
        let name = after[..end].trim();
        out.push_str(values.get(name).map(String::as_str).unwrap_or(""));
        rest = &after[end + 2..];
    }
    out.push_str(rest);
    out
}

fn all_placeholders_empty(paragraph: &str, values: &HashMap<&str, String>) -> bool {
    let names = crate::letters::templates::placeholders(paragraph);
    !names.is_empty() && names.iter().all(|n| values.get(n.as_str()).is_none_or(|v| v.trim().is_empty()))
}

fn block_html(block: &str) -> String {
    let lines: Vec<&str> = block.lines().collect();
    if !lines.is_empty() && lines.iter().all(|l| l.trim_start().starts_with("- ")) {
        let items: Vec<String> =
            lines.iter().map(|l| format!("<li>{}</li>", escape_html(l.trim_start().trim_start_matches("- ")))).collect();
        return format!("<ul>\n{}\n</ul>", items.join("\n"));
    }
    let inner: Vec<String> = lines.iter().map(|l| escape_html(l)).collect();
    format!("<p>{}</p>", inner.join("<br>\n"))
}

/// The paragraphs of `body` printed for `family`, without their condition lines
/// (a source that failed [`crate::letters::templates::parse`] keeps its bad lines as text).
pub fn paragraphs_for(body: &str, family: Option<Family>) -> Vec<&str> {
    body.split("\n\n")
        .map(|p| p.trim_matches('\n'))
        .filter_map(|p| match condition(p) {
            Ok((Some(c), rest)) => c.holds(family).then_some(rest),
            Ok((None, p)) => Some(p),
            Err(_) => Some(p),
        })
        .filter(|p| !p.trim().is_empty())
        .collect()
}

/// The placeholders a letter for `family` prints (after conditions), in order.
pub fn used_placeholders(source: &Source, family: Option<Family>) -> Vec<String> {
    let mut out = crate::letters::templates::placeholders(&source.subject);
    for p in paragraphs_for(&source.body, family) {
        out.extend(crate::letters::templates::placeholders(p));
    }
    out
}

/// Drops the lines of a paragraph whose placeholders are all empty.
fn without_empty_lines(paragraph: &str, values: &HashMap<&str, String>) -> String {
    paragraph.lines().filter(|l| !all_placeholders_empty(l, values)).collect::<Vec<_>>().join("\n")
}

/// Fills `source` with `values` (raw, as typed; missing ones are empty), with
/// no family of law: paragraphs marked `[for …]` are left out.
pub fn render(source: &Source, values: &HashMap<&str, String>, lang: Lang) -> Rendered {
    render_for(source, values, lang, None)
}

/// Fills `source` for a request under a regime of `family`.
pub fn render_for(source: &Source, values: &HashMap<&str, String>, lang: Lang, family: Option<Family>) -> Rendered {
    // A header is one line: line breaks typed into a value become spaces.
    let subject = fill(&source.subject, values).split_whitespace().collect::<Vec<_>>().join(" ");
    let paragraphs: Vec<String> = paragraphs_for(&source.body, family)
        .into_iter()
        .filter(|p| !all_placeholders_empty(p, values))
        .map(|p| without_empty_lines(p, values))
        .filter(|p| !p.trim().is_empty())
        .map(|p| fill(&p, values).trim_end().to_string())
        .collect();
    let text = paragraphs.join("\n\n") + "\n";
    let body: Vec<String> =
        paragraphs.iter().flat_map(|p| p.split("\n\n").filter(|b| !b.trim().is_empty()).map(block_html).collect::<Vec<_>>()).collect();
    let html =
        LAYOUT_HTML.replace("{{lang}}", lang.as_str()).replace("{{title}}", &escape_html(&subject)).replace("{{body}}", &body.join("\n"));
    Rendered { subject, text, html }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::letters::templates::parse;

    fn values(pairs: &[(&'static str, &str)]) -> HashMap<&'static str, String> {
        pairs.iter().map(|(k, v)| (*k, v.to_string())).collect()
    }

    #[test]
    fn what_the_subject_typed_is_escaped_in_html_and_kept_verbatim_in_text() {
        let src = parse("Subject: Hello {{subject.name}}\n\nDear {{subject.name}},\n\n{{details}}").unwrap();
        let r = render(&src, &values(&[("subject.name", "<script>alert('x')</script> & Co"), ("details", "- a <b>\n- c")]), Lang::En);
        assert!(r.text.contains("Dear <script>alert('x')</script> & Co,"));
        assert!(!r.html.contains("<script>"));
        assert!(r.html.contains("Dear &lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; Co,"));
        assert!(r.html.contains("<li>a &lt;b&gt;</li>"), "{}", r.html);
        assert!(r.html.contains("<title>Hello &lt;script&gt;"));
    }

    #[test]
    fn a_paragraph_whose_values_are_all_empty_is_left_out() {
        let src = parse("Subject: S\n\nWe erased:\n\n{{details}}\n\nWe kept:\n{{kept}}\n\nBye").unwrap();
        let r = render(&src, &values(&[("details", "your account"), ("kept", " ")]), Lang::En);
        assert_eq!(r.text, "We erased:\n\nyour account\n\nBye\n");
        assert!(!r.html.contains("We kept"));
    }

    #[test]
    fn a_line_whose_values_are_all_empty_is_left_out_and_marked_paragraphs_follow_the_family() {
        let src =
            parse("Subject: S\n\n[for us]\nYou may appeal.\n\n[not us]\nYou may complain.\n\nRegards,\n{{org.name}}\nDPO: {{dpo.contact}}")
                .unwrap();
        let r = render_for(&src, &values(&[("org.name", "Acme")]), Lang::En, Some(Family::Us));
        assert_eq!(r.text, "You may appeal.\n\nRegards,\nAcme\n");
        let r = render_for(&src, &values(&[("org.name", "Acme"), ("dpo.contact", "d@x")]), Lang::En, Some(Family::Gdpr));
        assert_eq!(r.text, "You may complain.\n\nRegards,\nAcme\nDPO: d@x\n");
        assert!(parse("Subject: S\n\n[for mars]\nHi").is_err());
    }

    #[test]
    fn line_breaks_typed_into_a_subject_value_cannot_make_a_new_header() {
        let src = parse("Subject: About {{subject.name}}\n\nHi").unwrap();
        let r = render(&src, &values(&[("subject.name", "Eve\r\nBcc: x@example.org")]), Lang::En);
        assert_eq!(r.subject, "About Eve Bcc: x@example.org");
    }
}

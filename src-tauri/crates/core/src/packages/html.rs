//! HTML that opens offline: inline styles only, no remote fonts, scripts or
//! images, and a Content-Security-Policy that would block them anyway.

pub use crate::html::escape;

/// A relative link to a file inside the package (each path segment escaped).
pub fn href(path: &str) -> String {
    path.split('/')
        .map(|seg| {
            seg.bytes()
                .map(|b| match b {
                    b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => (b as char).to_string(),
                    _ => format!("%{b:02X}"),
                })
                .collect::<String>()
        })
        .collect::<Vec<_>>()
        .join("/")
}

const STYLE: &str = "body{font-family:system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;max-width:52rem;margin:2rem auto;\
padding:0 1rem;line-height:1.5;color:#1b1f24}h1{font-size:1.6rem}h2{font-size:1.2rem;margin-top:2rem}\
table{border-collapse:collapse;width:100%;font-size:.9rem}th,td{border:1px solid #c8ccd0;padding:.3rem .5rem;\
text-align:left;vertical-align:top}th{background:#f1f3f5}code{font-size:.8rem;word-break:break-all}\
.muted{color:#59636e}@media print{body{margin:0}a{color:inherit}}";

pub fn page(title: &str, body: &str) -> String {
    page_in("en", title, body)
}

/// A page in language `lang` (`en`, `de`, `fr`).
pub fn page_in(lang: &str, title: &str, body: &str) -> String {
    format!(
        "<!DOCTYPE html>\n<html lang=\"{lang}\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>{}</title>\n<style>{STYLE}</style>\n\
         </head>\n<body>\n{body}\n</body>\n</html>\n",
        escape(title)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_in_data_is_shown_not_run() {
        assert_eq!(escape("<script>alert('x')</script>&"), "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&amp;");
        assert_eq!(href("evidence/crm export/a&b.csv"), "evidence/crm%20export/a%26b.csv");
    }
}

//! The test double of an OAuth 2.0 identity provider (Microsoft Entra ID, Google): the
//! real providers cannot be reached from here, so the mailbox's OAuth tests talk to this small
//! HTTP server on 127.0.0.1 instead. It answers Dovecot's oauth2 passdb (token introspection,
//! `{"active":true,"username":…}` for a token it issued, `{"active":false}` otherwise, see
//! `harness.rs::Dovecot::start_oauth2`), the token endpoint (refresh, device-code and
//! authorization-code grants, the refresh token rotated) and the device-authorization endpoint
//! (RFC 8628: the device code is "pending" at the first poll, then approved — or declined, after
//! [`Idp::set_declining`]). It records every form it receives, for the tests to check.
//! Shared by the CLI's and the end-to-end tests through `#[path]`; it needs `serde_json`.
#![allow(dead_code)] // each test uses a subset

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::sync::{Arc, Mutex};

use serde_json::{json, Value};

pub const CLIENT_ID: &str = "rightsdesk-test-client";
/// The refresh token the provider knows at the start, and the one it rotates to.
pub const REFRESH: &str = "refresh-token-one";
pub const ROTATED: &str = "refresh-token-two";
/// What the device-code flow gives.
pub const DEVICE_REFRESH: &str = "refresh-token-from-device";
pub const USER_CODE: &str = "WDJB-MJHT";
/// What the browser sign-in gives.
pub const BROWSER_REFRESH: &str = "refresh-token-from-browser";

/// The test's identity provider: introspection for Dovecot, token and device endpoints for Rightsdesk.
pub struct Idp {
    pub port: u16,
    state: Arc<Mutex<State>>,
}

#[derive(Default)]
struct State {
    /// The account the introspection names.
    username: String,
    /// Device-code polls are declined (the officer said no at the provider).
    declines: bool,
    /// Access tokens that are active.
    good: Vec<String>,
    /// Every request: (path, form).
    seen: Vec<(String, HashMap<String, String>)>,
    /// Device-code polls are answered `authorization_pending` (the officer has not acted yet).
    holds: bool,
    /// The device codes issued (`device-code-1`, …) and the polls each has had.
    polls: HashMap<String, u32>,
    /// The refresh token currently valid.
    refresh: String,
    /// Access tokens issued so far (each new one is active).
    issued: u32,
}

fn decode(s: &str) -> String {
    let bytes = s.replace('+', " ").into_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            out.push(u8::from_str_radix(std::str::from_utf8(&bytes[i + 1..i + 3]).unwrap(), 16).unwrap());
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).unwrap()
}

/// A plain mail from Ada asking for a copy of her data, as the OAuth mailbox receives it.
pub fn mail(subject: &str, id: &str) -> Vec<u8> {
    format!(
        "From: Ada Example <ada@example.org>\r\nTo: privacy@example.com\r\nSubject: {subject}\r\nMessage-ID: <{id}@example.org>\r\n\
         MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nPlease send me a copy of my data.\r\n"
    )
    .into_bytes()
}

pub fn form(body: &str) -> HashMap<String, String> {
    body.split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap_or((p, ""));
            (decode(k), decode(v))
        })
        .collect()
}

impl Idp {
    /// Starts the provider; its introspection says the tokens are `username`'s.
    pub fn start(username: &str) -> Idp {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let state = Arc::new(Mutex::new(State { refresh: REFRESH.into(), username: username.into(), ..State::default() }));
        let shared = state.clone();
        std::thread::spawn(move || {
            for conn in listener.incoming() {
                let Ok(conn) = conn else { continue };
                let state = shared.clone();
                std::thread::spawn(move || {
                    let _ = serve(conn, port, &state);
                });
            }
        });
        Idp { port, state }
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", self.port)
    }

    /// Makes `token` an active access token.
    pub fn activate(&self, token: &str) {
        self.state.lock().unwrap().good.push(token.to_string());
    }

    /// From now on, the device-code sign-in is declined (`access_denied`) after one pending
    /// poll (`true`), or approved again (`false`).
    pub fn set_declining(&self, declines: bool) {
        self.state.lock().unwrap().declines = declines;
    }

    /// While `true`, every device-code poll is `authorization_pending`.
    pub fn set_holding(&self, holds: bool) {
        self.state.lock().unwrap().holds = holds;
    }

    pub fn seen(&self, path: &str) -> Vec<HashMap<String, String>> {
        self.state.lock().unwrap().seen.iter().filter(|(p, _)| p == path).map(|(_, f)| f.clone()).collect()
    }
}

fn serve(conn: std::net::TcpStream, port: u16, state: &Mutex<State>) -> std::io::Result<()> {
    let mut reader = BufReader::new(conn.try_clone()?);
    let mut line = String::new();
    reader.read_line(&mut line)?;
    let path = line.split_whitespace().nth(1).unwrap_or("").to_string();
    let mut length = 0usize;
    loop {
        let mut h = String::new();
        reader.read_line(&mut h)?;
        if h.trim().is_empty() {
            break;
        }
        if let Some((k, v)) = h.split_once(':') {
            if k.eq_ignore_ascii_case("content-length") {
                length = v.trim().parse().unwrap_or(0);
            }
        }
    }
    let mut body = vec![0u8; length];
    reader.read_exact(&mut body)?;
    let f = form(&String::from_utf8_lossy(&body));
    let (status, answer) = {
        let mut s = state.lock().unwrap();
        s.seen.push((path.clone(), f.clone()));
        answer(&mut s, &path, &f, port)
    };
    let text = answer.to_string();
    let mut conn = conn;
    write!(
        conn,
        "HTTP/1.1 {status}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{text}",
        text.len()
    )?;
    conn.flush()
}

/// A device code of its own for each sign-in, its polls counted.
fn new_device_code(s: &mut State) -> String {
    let code = format!("device-code-{}", s.polls.len() + 1);
    s.polls.insert(code.clone(), 0);
    code
}

fn answer(s: &mut State, path: &str, f: &HashMap<String, String>, port: u16) -> (&'static str, Value) {
    let get = |k: &str| f.get(k).map(String::as_str).unwrap_or("");
    let issue = |s: &mut State, refresh: &str| {
        s.issued += 1;
        let token = format!("access-token-{}", s.issued);
        s.good.push(token.clone());
        s.refresh = refresh.to_string();
        json!({ "token_type": "Bearer", "access_token": token, "expires_in": 3599, "refresh_token": refresh })
    };
    match path {
        "/introspect" => {
            if s.good.iter().any(|t| t == get("token")) {
                ("200 OK", json!({ "active": true, "username": s.username }))
            } else {
                ("200 OK", json!({ "active": false }))
            }
        }
        "/devicecode" if get("client_id") == CLIENT_ID => (
            "200 OK",
            json!({
                "device_code": new_device_code(s),
                "user_code": USER_CODE,
                "verification_uri": format!("http://127.0.0.1:{port}/device"),
                "expires_in": 900,
                "interval": 1,
            }),
        ),
        "/token" if get("client_id") != CLIENT_ID => ("401 Unauthorized", json!({ "error": "invalid_client" })),
        "/token" => match get("grant_type") {
            "refresh_token" if get("refresh_token") == s.refresh && !s.refresh.is_empty() => ("200 OK", issue(s, ROTATED)),
            "refresh_token" => (
                "400 Bad Request",
                json!({ "error": "invalid_grant", "error_description": "AADSTS: token for privacy@example.com revoked" }),
            ),
            "urn:ietf:params:oauth:grant-type:device_code" if s.polls.contains_key(get("device_code")) => {
                let polls = {
                    let n = s.polls.get_mut(get("device_code")).unwrap();
                    *n += 1;
                    *n
                };
                if polls == 1 || s.holds {
                    ("400 Bad Request", json!({ "error": "authorization_pending" }))
                } else if s.declines {
                    ("400 Bad Request", json!({ "error": "access_denied" }))
                } else {
                    ("200 OK", issue(s, DEVICE_REFRESH))
                }
            }
            "authorization_code" if get("code") == "auth-code-1" && !get("code_verifier").is_empty() => {
                ("200 OK", issue(s, BROWSER_REFRESH))
            }
            "authorization_code" => ("400 Bad Request", json!({ "error": "invalid_grant" })),
            _ => ("400 Bad Request", json!({ "error": "unsupported_grant_type" })),
        },
        _ => ("404 Not Found", json!({ "error": "not_found" })),
    }
}

//! `briefing serve`: serves the output on loopback with the right content types, never
//! a file outside the output folder, and pushes reload / build-error events when content
//! changes.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::harness::Project;

/// A running `briefing serve`, stopped when dropped.
struct Server {
    child: Child,
    address: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn serve(p: &Project) -> Server {
    let mut child = Command::new(env!("CARGO_BIN_EXE_briefing"))
        .args(["serve", "--port", "0"])
        .current_dir(p.path())
        .stderr(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .expect("start briefing serve");
    let stderr = child.stderr.take().expect("piped stderr");
    let mut lines = BufReader::new(stderr).lines();
    let address = loop {
        let line = lines
            .next()
            .expect("serve printed its address")
            .expect("utf-8");
        if let Some(rest) = line.split("http://").nth(1) {
            break rest.split('/').next().expect("host:port").to_string();
        }
    };
    // Keep draining stderr so the server never blocks on a full pipe.
    std::thread::spawn(move || for _ in lines {});
    Server { child, address }
}

/// A raw GET (the path is sent exactly as given): status line, headers and body.
fn get(server: &Server, path: &str) -> (u16, String, String) {
    let mut stream = TcpStream::connect(&server.address).expect("connect");
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n\r\n",
        server.address
    )
    .unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).unwrap();
    let (head, body) = response.split_once("\r\n\r\n").unwrap_or((&response, ""));
    let status = head
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    (status, head.to_ascii_lowercase(), body.to_string())
}

#[test]
fn serves_pages_assets_and_nothing_outside_output() {
    let p = Project::fixture("build/basic");
    p.write("secret.txt", "do not serve");
    let server = serve(&p);
    let (status, head, body) = get(&server, "/");
    assert_eq!(status, 200);
    assert!(head.contains("content-type: text/html"), "{head}");
    assert!(
        body.contains("/__briefing/events"),
        "live-reload script injected"
    );
    assert!(
        !p.read("output/index.html").contains("__briefing"),
        "never in build output"
    );
    let (status, head, _) = get(&server, "/assets/style.css");
    assert_eq!(status, 200);
    assert!(head.contains("content-type: text/css"), "{head}");
    let (status, head, _) = get(&server, "/feed.xml");
    assert_eq!(status, 200);
    assert!(
        head.contains("content-type: application/atom+xml"),
        "{head}"
    );
    let (status, head, _) = get(&server, "/topics/isis");
    assert_eq!(status, 308);
    assert!(head.contains("location: /topics/isis/"), "{head}");
    assert_eq!(get(&server, "/topics/isis/").0, 200);
    for attack in [
        "/../secret.txt",
        "/%2e%2e/secret.txt",
        "/%2E%2E%2Fsecret.txt",
        "/topics/..%2F..%2Fsecret.txt",
        "/..%5Csecret.txt",
        "/%00",
    ] {
        let (status, _, body) = get(&server, attack);
        assert!(status == 400 || status == 404, "{attack}: {status}");
        assert!(!body.contains("do not serve"), "{attack} leaked a file");
    }
    assert!(!get(&server, "/missing.html").2.contains("do not serve"));
    assert_eq!(get(&server, "/favicon.ico").0, 204, "no favicon, no 404");
    assert_eq!(get(&server, "/missing.html").0, 404);
}

/// Reads server-sent events until `want` has been seen or the time is up.
fn wait_for_event(stream: &mut TcpStream, seen: &mut String, want: &str, within: Duration) -> bool {
    let deadline = Instant::now() + within;
    let mut buf = [0u8; 4096];
    while Instant::now() < deadline {
        if seen.contains(want) {
            return true;
        }
        match stream.read(&mut buf) {
            Ok(0) => return false,
            Ok(n) => seen.push_str(&String::from_utf8_lossy(&buf[..n])),
            Err(_) => {}
        }
    }
    seen.contains(want)
}

#[test]
fn rebuilds_on_change_and_reports_errors_to_open_pages() {
    let p = Project::fixture("digest/newyork");
    let server = serve(&p);
    let mut events = TcpStream::connect(&server.address).unwrap();
    events
        .set_read_timeout(Some(Duration::from_millis(200)))
        .unwrap();
    write!(
        events,
        "GET /__briefing/events HTTP/1.1\r\nHost: {}\r\n\r\n",
        server.address
    )
    .unwrap();
    let mut seen = String::new();
    assert!(
        wait_for_event(&mut events, &mut seen, "200 OK", Duration::from_secs(5)),
        "{seen}"
    );
    std::thread::sleep(Duration::from_millis(300));

    let text = p
        .read("content/after-dst.md")
        .replace("After the clocks change", "After the clocks changed");
    p.write("content/after-dst.md", &text);
    assert!(
        wait_for_event(
            &mut events,
            &mut seen,
            "event: reload",
            Duration::from_secs(10)
        ),
        "{seen}"
    );
    assert!(
        get(&server, "/articles/after-dst/")
            .2
            .contains("After the clocks changed")
    );

    p.write("content/broken.md", "---\ntitle: [unclosed\n---\n");
    assert!(
        wait_for_event(
            &mut events,
            &mut seen,
            "event: build-error",
            Duration::from_secs(10)
        ),
        "{seen}"
    );
    assert!(
        seen.contains("content/broken.md:2"),
        "the overlay names file and line: {seen}"
    );
    assert_eq!(
        get(&server, "/").0,
        200,
        "the last good site is still served"
    );

    seen.clear();
    std::fs::remove_file(p.path().join("content/broken.md")).unwrap();
    assert!(
        wait_for_event(
            &mut events,
            &mut seen,
            "event: reload",
            Duration::from_secs(10)
        ),
        "{seen}"
    );
}

#[test]
fn ctrl_c_stops_cleanly() {
    let p = Project::fixture("digest/newyork");
    let mut server = serve(&p);
    assert_eq!(get(&server, "/").0, 200);
    let pid = server.child.id().to_string();
    let sent = Command::new("kill")
        .args(["-INT", &pid])
        .status()
        .expect("run kill");
    assert!(sent.success());
    let deadline = Instant::now() + Duration::from_secs(10);
    let status = loop {
        if let Some(status) = server.child.try_wait().unwrap() {
            break status;
        }
        assert!(Instant::now() < deadline, "serve did not stop on SIGINT");
        std::thread::sleep(Duration::from_millis(50));
    };
    assert!(status.success(), "{status:?}");
}

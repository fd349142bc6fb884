//! nginx run with the configuration of docs/deploy.md, for the deploy test: the guide's
//! block (a `map` and a `server`) as written, wrapped in a main configuration of its own
//! so nginx runs as the current user from a temporary folder, in the foreground.

use std::net::{TcpListener, TcpStream};
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

/// The line that marks the guide's nginx block.
const MARKER: &str = "# okrsite-deploy-test";
/// What the test replaces in the guide's block, and the folder the guide names as the
/// parent of `okr/`.
const LISTEN: &str = "listen 80;";
const WEB_ROOT: &str = "/srv/www";

/// The nginx block of docs/deploy.md, verbatim: the ```nginx fence that holds the marker.
pub fn guide_block() -> String {
    let guide = Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/deploy.md");
    let text = std::fs::read_to_string(&guide).unwrap();
    let blocks: Vec<&str> = text
        .split("```nginx\n")
        .skip(1)
        .filter_map(|rest| rest.split_once("\n```").map(|(block, _)| block))
        .filter(|block| block.contains(MARKER))
        .collect();
    assert_eq!(
        blocks.len(),
        1,
        "docs/deploy.md must hold one ```nginx block with `{MARKER}`"
    );
    blocks[0].to_owned()
}

/// The guide's block listening on `port` and serving `web_root` (which holds `okr/`).
fn server_config(port: u16, web_root: &Path) -> String {
    let block = guide_block();
    for placeholder in [LISTEN, WEB_ROOT] {
        assert!(
            block.contains(placeholder),
            "the guide's nginx block must name `{placeholder}` (the test replaces it)"
        );
    }
    block
        .replace(LISTEN, &format!("listen 127.0.0.1:{port};"))
        .replace(WEB_ROOT, web_root.to_str().unwrap())
}

/// A port nothing listens on now (the OS's pick; nginx binds it a moment later).
pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

/// Where nginx is, if installed (Debian puts it in /usr/sbin, not always on PATH).
pub fn binary() -> Option<PathBuf> {
    let on_path = std::env::var_os("PATH")
        .map(|p| std::env::split_paths(&p).collect::<Vec<_>>())
        .unwrap_or_default();
    on_path
        .into_iter()
        .chain([PathBuf::from("/usr/sbin")])
        .map(|dir| dir.join("nginx"))
        .find(|path| path.is_file())
}

/// A running nginx, stopped when dropped.
pub struct Nginx {
    child: Child,
    error_log: PathBuf,
}

impl Nginx {
    /// Starts `nginx` on `port` serving `web_root`, with its pid, logs and temporary
    /// files in `prefix`; returns once the port accepts connections.
    pub fn start(nginx: &Path, prefix: &Path, port: u16, web_root: &Path) -> Nginx {
        let mime_types = Path::new("/etc/nginx/mime.types");
        assert!(
            mime_types.is_file(),
            "no {} (apt-get install nginx)",
            mime_types.display()
        );
        let p = prefix.to_str().unwrap();
        // As root, nginx's workers would run as `nobody`, who cannot read a 0700 tempdir.
        let user = if std::fs::metadata(prefix).unwrap().uid() == 0 {
            "user root;\n"
        } else {
            ""
        };
        let temp_paths: String = ["client_body", "proxy", "fastcgi", "uwsgi", "scgi"]
            .iter()
            .map(|kind| format!("    {kind}_temp_path {p}/{kind};\n"))
            .collect();
        let config = format!(
            "{user}daemon off;\nworker_processes 1;\npid {p}/nginx.pid;\nerror_log {p}/error.log warn;\n\
             events {{ worker_connections 256; }}\n\
             http {{\n    include {mime};\n    default_type application/octet-stream;\n    \
             access_log {p}/access.log;\n{temp_paths}\n{server}\n}}\n",
            mime = mime_types.display(),
            server = server_config(port, web_root),
        );
        let conf = prefix.join("nginx.conf");
        std::fs::write(&conf, config).unwrap();
        let error_log = prefix.join("error.log");
        let child = Command::new(nginx)
            .arg("-p")
            .arg(prefix)
            .arg("-e")
            .arg(&error_log)
            .arg("-c")
            .arg(&conf)
            .stdin(Stdio::null())
            .spawn()
            .expect("nginx");
        let mut server = Nginx { child, error_log };
        server.wait_until_listening(port);
        server
    }

    /// Polls the port until nginx accepts a connection; fails if nginx exits first.
    fn wait_until_listening(&mut self, port: u16) {
        for _ in 0..200 {
            if let Some(status) = self.child.try_wait().unwrap() {
                panic!("nginx exited ({status}):\n{}", self.log());
            }
            if TcpStream::connect(("127.0.0.1", port)).is_ok() {
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        panic!("nginx did not listen on {port} within 10 s:\n{}", self.log());
    }

    /// nginx's error log (empty when nothing was logged).
    pub fn log(&self) -> String {
        std::fs::read_to_string(&self.error_log).unwrap_or_default()
    }
}

impl Drop for Nginx {
    /// SIGTERM, so the master stops its worker too (a SIGKILL would orphan it, still
    /// holding the port); SIGKILL only if that fails.
    fn drop(&mut self) {
        let term = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status();
        if !term.is_ok_and(|s| s.success()) {
            let _ = self.child.kill();
        }
        let _ = self.child.wait();
    }
}

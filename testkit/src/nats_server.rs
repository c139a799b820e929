//! A real `nats-server` with JetStream on loopback, for the broker tests: on a free port with
//! a store directory of its own, stopped (and restarted on the same port and store) at will.
//! Shared by the axum and CLI tests, which are ignored unless asked for (`--ignored`: CI does).

use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// The `nats-server` to run: `TIM_NATS_SERVER`, else the first on `PATH`, else Debian's
/// `/usr/sbin/nats-server`. Panics without one: the tests that call this are ignored unless
/// asked for, and one that is asked for must not pass without its broker.
pub fn server() -> PathBuf {
    let mut candidates: Vec<PathBuf> = Vec::new();
    if let Some(path) = std::env::var_os("TIM_NATS_SERVER") {
        candidates.push(path.into());
    }
    if let Some(paths) = std::env::var_os("PATH") {
        candidates.extend(std::env::split_paths(&paths).map(|dir| dir.join("nats-server")));
    }
    candidates.extend(["/usr/sbin/nats-server", "/usr/bin/nats-server"].map(PathBuf::from));
    candidates
        .into_iter()
        .find(|path| path.is_file())
        .expect("nats-server not found (apt-get install nats-server, or set TIM_NATS_SERVER)")
}

/// The broker that `.ci/run` started (`TIM_TEST_NATS_URL`), for tests that never stop it; each
/// test uses subjects and a stream of its own there.
pub fn shared_url() -> Option<String> {
    std::env::var("TIM_TEST_NATS_URL")
        .ok()
        .filter(|url| !url.is_empty())
}

/// The shared broker when there is one, else a server of the test's own (kept alive by the
/// first value), and its URL.
pub fn shared_or_own() -> (Option<NatsServer>, String) {
    match shared_url() {
        Some(url) => (None, url),
        None => {
            let own = NatsServer::start();
            let url = own.url();
            (Some(own), url)
        }
    }
}

pub struct NatsServer {
    pub port: u16,
    dir: PathBuf,
    child: Option<Child>,
    max_payload: Option<usize>,
}

impl NatsServer {
    /// A new server with an empty store.
    pub fn start() -> NatsServer {
        NatsServer::with_max_payload(None)
    }

    /// A new server that refuses messages longer than `max_payload` bytes.
    pub fn with_max_payload(max_payload: Option<usize>) -> NatsServer {
        let port = free_port();
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos());
        let dir =
            std::env::temp_dir().join(format!("tim-nats-{}-{port}-{nanos}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("store directory");
        let mut server = NatsServer {
            port,
            dir,
            child: None,
            max_payload,
        };
        server.restart();
        server
    }

    pub fn url(&self) -> String {
        format!("nats://127.0.0.1:{}", self.port)
    }

    /// Starts the process again (same port, same store), and waits until it takes connections.
    pub fn restart(&mut self) {
        assert!(self.child.is_none(), "already running");
        let store = self.dir.join("store");
        let mut conf = format!(
            "listen: \"127.0.0.1:{}\"\njetstream {{ store_dir: {:?} }}\n",
            self.port,
            store.display().to_string()
        );
        if let Some(max) = self.max_payload {
            conf.push_str(&format!("max_payload: {max}\n"));
        }
        self.child = Some(spawn(&self.dir, &conf));
        wait_for(self.port);
    }

    /// Kills the process at once (no lame-duck mode, as in a crash), and waits for it.
    pub fn kill(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

impl Drop for NatsServer {
    fn drop(&mut self) {
        self.kill();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// Starts a server with the configuration `conf`, written to `dir/nats.conf`; its log goes to
/// `dir/server.log`.
fn spawn(dir: &std::path::Path, conf: &str) -> Child {
    let conf_path = dir.join("nats.conf");
    std::fs::write(&conf_path, conf).expect("config");
    let log = std::fs::File::create(dir.join("server.log")).expect("log file");
    Command::new(server())
        .arg("-c")
        .arg(&conf_path)
        .stdout(Stdio::null())
        .stderr(log)
        .spawn()
        .expect("nats-server starts")
}

/// Waits until a server takes connections on `port` (at most 10 s).
fn wait_for(port: u16) {
    let addr = SocketAddr::from(([127, 0, 0, 1], port));
    let deadline = Instant::now() + Duration::from_secs(10);
    while TcpStream::connect_timeout(&addr, Duration::from_millis(100)).is_err() {
        assert!(Instant::now() < deadline, "nats-server did not come up");
        std::thread::sleep(Duration::from_millis(20));
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

/// A cluster of `nats-server`s on loopback, each with JetStream and a store of its own, routed
/// to one another: for replicated streams and the loss of a node.
pub struct NatsCluster {
    nodes: Vec<Option<Child>>,
    ports: Vec<u16>,
    dir: PathBuf,
}

impl NatsCluster {
    /// `size` servers named `n0`, `n1`, …; returns once each takes connections.
    pub fn start(size: usize) -> NatsCluster {
        let ports: Vec<u16> = (0..size).map(|_| free_port()).collect();
        let routes: Vec<u16> = (0..size).map(|_| free_port()).collect();
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos());
        let dir = std::env::temp_dir().join(format!(
            "tim-nats-cluster-{}-{}-{nanos}",
            std::process::id(),
            ports[0]
        ));
        let mut nodes = Vec::new();
        for i in 0..size {
            let node_dir = dir.join(format!("n{i}"));
            std::fs::create_dir_all(&node_dir).expect("store directory");
            let others: Vec<String> = (0..size)
                .filter(|&j| j != i)
                .map(|j| format!("\"nats-route://127.0.0.1:{}\"", routes[j]))
                .collect();
            let conf = format!(
                "server_name: n{i}\nlisten: \"127.0.0.1:{}\"\n\
                 jetstream {{ store_dir: {:?} }}\n\
                 cluster {{ name: tim, listen: \"127.0.0.1:{}\", routes: [{}] }}\n",
                ports[i],
                node_dir.join("store").display().to_string(),
                routes[i],
                others.join(", ")
            );
            nodes.push(Some(spawn(&node_dir, &conf)));
        }
        for port in &ports {
            wait_for(*port);
        }
        NatsCluster { nodes, ports, dir }
    }

    /// Every server's URL, comma-separated (as `--nats` takes them).
    pub fn urls(&self) -> String {
        self.ports
            .iter()
            .map(|p| format!("nats://127.0.0.1:{p}"))
            .collect::<Vec<_>>()
            .join(",")
    }

    /// The URL of server `i`.
    pub fn url(&self, i: usize) -> String {
        format!("nats://127.0.0.1:{}", self.ports[i])
    }

    /// Kills server `i` at once (SIGKILL: no lame-duck mode, as in a crash).
    pub fn kill(&mut self, i: usize) {
        if let Some(mut child) = self.nodes[i].take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

impl Drop for NatsCluster {
    fn drop(&mut self) {
        for i in 0..self.nodes.len() {
            self.kill(i);
        }
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

//! What a program created: lightweight records of its streams, graphs, memory pools and VMM
//! reservations, kept for `cuemu info -- PROGRAM` and `CUEMU_REPORT=<path or ->` (a readable
//! summary written when the process exits; `-` is stderr, since stdout belongs to the program).
//!
//! Recording costs nothing on the hot paths: a stream's work count is its queue's position
//! (read at destroy / exit), a graph launch bumps one atomic counter the executable graph
//! holds. Per-object detail is kept for the first [`DETAIL_LIMIT`] objects of each family;
//! beyond that only the totals grow (a program that builds a graph per step stays bounded).

use super::queue::Queue;
use std::collections::HashMap;
use std::ffi::{c_int, c_uint};
use std::fmt::Write as _;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, OnceLock, Weak};

/// Objects of one family described one by one; the rest are counted.
pub const DETAIL_LIMIT: usize = 256;

struct StreamRecord {
    handle: usize,
    id: u64,
    flags: c_uint,
    priority: c_int,
    queue: Weak<Queue>,
    /// Work items pushed, taken when the stream is destroyed.
    work_at_destroy: Option<u64>,
}

/// How a graph came to be.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum GraphOrigin {
    Built,
    Captured,
    Cloned,
}

struct GraphRecord {
    id: u32,
    origin: GraphOrigin,
    /// Node count per CUgraphNodeType, as last seen (instantiation, destroy or exit).
    nodes: Vec<(c_uint, usize)>,
    instantiations: u64,
    launches: Arc<AtomicU64>,
    destroyed: bool,
}

#[derive(Default)]
struct Records {
    streams: Vec<StreamRecord>,
    stream_index: HashMap<usize, usize>,
    streams_created: u64,
    streams_destroyed: u64,
    /// Default streams that received work: (label, queue).
    default_queues: Vec<(String, Arc<Queue>)>,
    graphs: HashMap<usize, GraphRecord>,
    /// Live graphs the program made (created, cloned, captured): destroys of others (a failed
    /// capture's graph, child copies) are not the program's.
    visible: std::collections::HashSet<usize>,
    graphs_created: u64,
    graphs_destroyed: u64,
    captures_begun: u64,
    captures_failed: u64,
    instantiations: u64,
    execs_live: i64,
}

/// Launches of every executable graph (detailed ones also count in their own record).
static GRAPH_LAUNCHES: AtomicU64 = AtomicU64::new(0);

fn records() -> MutexGuard<'static, Records> {
    static R: OnceLock<Mutex<Records>> = OnceLock::new();
    R.get_or_init(Default::default).lock().unwrap_or_else(|e| e.into_inner())
}

pub fn stream_created(handle: usize, id: u64, flags: c_uint, priority: c_int, queue: &Arc<Queue>) {
    tracing::debug!("stream {handle:#x} created: id {id}, flags {flags:#x}, priority {priority}");
    let mut r = records();
    r.streams_created += 1;
    if r.streams.len() < DETAIL_LIMIT {
        let i = r.streams.len();
        r.streams.push(StreamRecord { handle, id, flags, priority, queue: Arc::downgrade(queue), work_at_destroy: None });
        r.stream_index.insert(handle, i);
    }
}

/// Called before the destroyed stream's queue gets its stop item.
pub fn stream_destroyed(handle: usize, queue: &Queue) {
    let work = queue.tail();
    tracing::debug!("stream {handle:#x} destroyed after {work} work item(s)");
    let mut r = records();
    r.streams_destroyed += 1;
    if let Some(&i) = r.stream_index.get(&handle) {
        r.streams[i].work_at_destroy = Some(work);
    }
}

/// A default stream (legacy or per-thread) got its queue.
pub fn default_stream_used(label: String, queue: &Arc<Queue>) {
    tracing::debug!("{label} created");
    let mut r = records();
    if r.default_queues.len() < DETAIL_LIMIT {
        r.default_queues.push((label, queue.clone()));
    }
}

/// A graph the program can see was made.
pub fn graph_created(handle: usize, id: u32, origin: GraphOrigin, nodes: Vec<(c_uint, usize)>) {
    tracing::debug!("graph {handle:#x} (id {id}) {origin:?}: {} node(s)", nodes.iter().map(|n| n.1).sum::<usize>());
    let mut r = records();
    r.graphs_created += 1;
    r.visible.insert(handle);
    if r.graphs.len() < DETAIL_LIMIT {
        r.graphs.insert(handle, GraphRecord { id, origin, nodes, instantiations: 0, launches: Arc::new(AtomicU64::new(0)), destroyed: false });
    }
}

/// The program destroyed graph `handle` (cuGraphDestroy; graphs it never saw are not counted).
pub fn graph_destroyed(handle: usize, nodes: Vec<(c_uint, usize)>) {
    let mut r = records();
    if !r.visible.remove(&handle) {
        return;
    }
    r.graphs_destroyed += 1;
    if let Some(g) = r.graphs.get_mut(&handle) {
        g.nodes = nodes;
        g.destroyed = true;
    }
    tracing::debug!("graph {handle:#x} destroyed");
}

pub fn capture_begun() {
    records().captures_begun += 1;
}

pub fn capture_failed() {
    records().captures_failed += 1;
}

/// An executable graph was made from `graph`: the counter its launches bump.
pub fn graph_instantiated(graph: usize, exec: usize, nodes: Vec<(c_uint, usize)>) -> Option<Arc<AtomicU64>> {
    tracing::debug!("graph {graph:#x} instantiated as {exec:#x}");
    let mut r = records();
    r.instantiations += 1;
    r.execs_live += 1;
    let g = r.graphs.get_mut(&graph)?;
    g.instantiations += 1;
    g.nodes = nodes;
    Some(g.launches.clone())
}

pub fn exec_destroyed(exec: usize) {
    tracing::debug!("executable graph {exec:#x} destroyed");
    records().execs_live -= 1;
}

/// One launch of an executable graph (its graph's counter, if it has a record).
pub fn graph_launched(counter: Option<&AtomicU64>) {
    GRAPH_LAUNCHES.fetch_add(1, Ordering::Relaxed);
    if let Some(c) = counter {
        c.fetch_add(1, Ordering::Relaxed);
    }
}

pub fn node_type_name(t: c_uint) -> &'static str {
    match t {
        0 => "kernel",
        1 => "memcpy",
        2 => "memset",
        3 => "host",
        4 => "graph",
        5 => "empty",
        6 => "wait_event",
        7 => "event_record",
        8 => "ext_semas_signal",
        9 => "ext_semas_wait",
        10 => "mem_alloc",
        11 => "mem_free",
        12 => "batch_mem_op",
        13 => "conditional",
        _ => "other",
    }
}

pub fn human_bytes(b: u64) -> String {
    const K: u64 = 1 << 10;
    match b {
        _ if b >= 1 << 30 => format!("{:.1} GiB", b as f64 / (1u64 << 30) as f64),
        _ if b >= 1 << 20 => format!("{:.1} MiB", b as f64 / (1u64 << 20) as f64),
        _ if b >= K => format!("{:.1} KiB", b as f64 / K as f64),
        _ => format!("{b} B"),
    }
}

fn nodes_text(nodes: &[(c_uint, usize)]) -> String {
    let total: usize = nodes.iter().map(|n| n.1).sum();
    let parts: Vec<String> = nodes.iter().map(|(t, n)| format!("{} {n}", node_type_name(*t))).collect();
    if parts.is_empty() {
        format!("{total} nodes")
    } else {
        format!("{total} nodes ({})", parts.join(", "))
    }
}

/// The summary `CUEMU_REPORT` writes and `cuemu info -- PROGRAM` prints.
pub fn render() -> String {
    let mut out = String::new();
    let _ = writeln!(out, "cuemu report: pid {}", std::process::id());
    {
        let r = records();
        let _ = writeln!(out, "Streams:           {} created, {} destroyed", r.streams_created, r.streams_destroyed);
        for (label, q) in &r.default_queues {
            let _ = writeln!(out, "  {label}: {} work item(s)", q.tail());
        }
        for s in &r.streams {
            let (work, state) = match (s.work_at_destroy, s.queue.upgrade()) {
                (Some(w), _) => (w, "destroyed"),
                (None, Some(q)) => (q.tail(), "live"),
                (None, None) => (0, "released with its context"),
            };
            let kind = if s.flags & 1 != 0 { "non-blocking" } else { "blocking" };
            let _ = writeln!(
                out,
                "  stream {:#x} id {}: {kind}, priority {}, {work} work item(s), {state}",
                s.handle, s.id, s.priority
            );
        }
        if r.streams_created as usize > r.streams.len() {
            let _ = writeln!(out, "  ... and {} more", r.streams_created as usize - r.streams.len());
        }
        let _ = writeln!(
            out,
            "Graphs:            {} created, {} destroyed; {} capture(s) begun, {} failed; {} instantiation(s), {} launch(es)",
            r.graphs_created,
            r.graphs_destroyed,
            r.captures_begun,
            r.captures_failed,
            r.instantiations,
            GRAPH_LAUNCHES.load(Ordering::Relaxed)
        );
        let mut graphs: Vec<(&usize, &GraphRecord)> = r.graphs.iter().collect();
        graphs.sort_by_key(|(_, g)| g.id);
        for (h, g) in graphs {
            let nodes = if g.destroyed { g.nodes.clone() } else { super::graph::node_type_counts(*h).unwrap_or_else(|| g.nodes.clone()) };
            let origin = match g.origin {
                GraphOrigin::Built => "built",
                GraphOrigin::Captured => "captured",
                GraphOrigin::Cloned => "cloned",
            };
            let _ = writeln!(
                out,
                "  graph {h:#x} id {} ({origin}): {}; instantiated {}x, launched {}x{}",
                g.id,
                nodes_text(&nodes),
                g.instantiations,
                g.launches.load(Ordering::Relaxed),
                if g.destroyed { ", destroyed" } else { "" }
            );
        }
        if r.graphs_created as usize > r.graphs.len() {
            let _ = writeln!(out, "  ... and {} more", r.graphs_created as usize - r.graphs.len());
        }
    }
    let pools = super::pool::summaries();
    let _ = writeln!(out, "Memory pools:      {}", pools.len());
    for p in &pools {
        let _ = writeln!(
            out,
            "  pool {:#x} device {}{}: {} allocation(s), used {} (high {}), reserved high {}, release threshold {}{}",
            p.handle,
            p.device,
            if p.default { " (default)" } else { "" },
            p.allocations,
            human_bytes(p.used),
            human_bytes(p.used_high),
            human_bytes(p.reserved_high),
            human_bytes(p.release_threshold),
            if p.destroyed { ", destroyed" } else { "" }
        );
    }
    let (live, backed, high) = super::graphmem::usage();
    let _ = writeln!(
        out,
        "Graph memory:      {} in live allocations, {} backed (reserved high {})",
        human_bytes(live),
        human_bytes(backed),
        human_bytes(high)
    );
    let v = super::vmm::summary();
    let _ = writeln!(
        out,
        "Virtual memory:    {} reservation(s) made, {} live ({}); address space high {}",
        v.reservations_made,
        v.reservations_live,
        human_bytes(v.reserved_live),
        human_bytes(v.reserved_high)
    );
    let _ = writeln!(
        out,
        "                   {} physical allocation(s) made, {} live; {} mapping(s) made, {} live ({}); mapped high {}",
        v.phys_made,
        v.phys_live,
        v.maps_made,
        v.maps_live,
        human_bytes(v.mapped_live),
        human_bytes(v.mapped_high)
    );
    for (base, size) in v.reservations.iter().take(DETAIL_LIMIT) {
        let _ = writeln!(out, "  reservation {base:#x}: {}", human_bytes(*size as u64));
    }
    out
}

/// Where `CUEMU_REPORT` asks the summary to go (read once, at the first call).
fn destination() -> Option<&'static str> {
    static D: OnceLock<Option<String>> = OnceLock::new();
    D.get_or_init(|| std::env::var("CUEMU_REPORT").ok().filter(|s| !s.is_empty())).as_deref()
}

/// Reads `CUEMU_REPORT` now (cuInit), so the exit path touches no environment lock.
pub fn arm() {
    let _ = destination();
}

static DISABLED: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// No report from this process: the `cuemu` CLI, whose child program writes its own to the
/// same `CUEMU_REPORT` path (the CLI's would overwrite it at exit).
pub fn disable() {
    DISABLED.store(true, Ordering::Relaxed);
}

/// At process exit (our `.fini_array` entry): writes the summary if `CUEMU_REPORT` is set.
/// Runs after the program's threads' thread-locals are gone, so it uses none: plain
/// `write(2)` to stderr, or a file.
pub fn write_at_exit() {
    static DONE: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);
    if DISABLED.load(Ordering::Relaxed) || !super::is_initialized() {
        return;
    }
    let Some(dest) = destination() else { return };
    if DONE.swap(true, Ordering::AcqRel) {
        return;
    }
    let text = render();
    if dest == "-" {
        let b = text.as_bytes();
        let mut off = 0;
        while off < b.len() {
            let n = unsafe { libc::write(2, b[off..].as_ptr() as *const libc::c_void, b.len() - off) };
            if n <= 0 {
                break;
            }
            off += n as usize;
        }
    } else {
        let _ = std::fs::write(dest, text);
    }
}

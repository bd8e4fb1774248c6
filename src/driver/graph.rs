//! CUDA graphs: graphs built node by node or captured from streams (the capture state lives in
//! `stream.rs`), executable graphs, launch, in-place updates, clone, DOT output.
//!
//! A graph is a list of nodes in creation order, each with its kind (parameters copied when the
//! node is added or captured: a kernel node owns its packed argument bytes, so the caller's
//! `kernelParams` may die) and its dependencies. Instantiation snapshots the graph into an
//! [`ExecGraph`] (children instantiated recursively, a topological order computed once); a
//! launch runs the nodes in that order on the stream's context. Updates swap in a new snapshot
//! (copy on write), so a launch in progress keeps the one it started with.
//!
//! The generic node API (`cuGraphAddNode`, `CUgraphNodeParams`) is `graphparams.rs`, which
//! translates to the typed functions here. A graph's user-object references (`userobj.rs`) are
//! copied into clones and child-graph copies and released with the graph; an executable's hang
//! off its snapshot, so they outlive launches in flight.

use super::context::{self, Context};
use super::graphmem::{self, GraphAlloc, CUDA_MEM_ALLOC_NODE_PARAMS};
use super::module::{resolve_function, Function};
use super::{event, launch, memory, new_handle, stream, Table};
use crate::api::*;
use crate::exec::LaunchConfig;
use std::collections::HashMap;
use std::ffi::{c_char, c_uint, c_void, CStr};
use std::fmt::Write as _;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex, OnceLock, RwLock};

// CUgraphNodeType
pub const NODE_KERNEL: c_uint = 0;
pub const NODE_MEMCPY: c_uint = 1;
pub const NODE_MEMSET: c_uint = 2;
pub const NODE_HOST: c_uint = 3;
pub const NODE_GRAPH: c_uint = 4;
pub const NODE_EMPTY: c_uint = 5;
pub const NODE_WAIT_EVENT: c_uint = 6;
pub const NODE_EVENT_RECORD: c_uint = 7;
pub const NODE_EXT_SEMAS_SIGNAL: c_uint = 8;
pub const NODE_EXT_SEMAS_WAIT: c_uint = 9;
pub const NODE_MEM_ALLOC: c_uint = 10;
pub const NODE_MEM_FREE: c_uint = 11;
pub const NODE_BATCH_MEM_OP: c_uint = 12;

#[derive(Clone)]
pub struct KernelNode {
    pub func: Arc<Function>,
    /// The CUfunction or CUkernel as the caller gave it (returned by GetParams).
    pub handle: usize,
    pub grid: [u32; 3],
    pub block: [u32; 3],
    pub shared: u32,
    /// Thread-block clusters (resolved when the launch was made or the node added).
    pub cluster: crate::exec::ClusterShape,
    /// Packed argument bytes (a snapshot of the values at capture / add time).
    pub params: Arc<Vec<u8>>,
    /// Launch attributes kept to be read back (`kernel_attrs`).
    pub attrs: super::kernel_attrs::LaunchAttrs,
}

impl KernelNode {
    pub fn config(&self) -> LaunchConfig {
        LaunchConfig { grid: self.grid, block: self.block, dynamic_shared_bytes: self.shared }
    }
}

#[derive(Clone, Copy, Debug)]
pub struct Memset {
    pub dst: CUdeviceptr,
    pub pitch: usize,
    pub value: u32,
    pub elem: u32,
    pub width: usize,
    pub height: usize,
}

#[derive(Clone, Copy)]
pub struct Host {
    pub f: unsafe extern "C" fn(*mut c_void),
    pub user: usize,
}

#[derive(Clone)]
pub enum NodeKind {
    Kernel(KernelNode),
    Memcpy(CUDA_MEMCPY3D),
    Memset(Memset),
    Host(Host),
    /// The embedded child graph (a graph handle owned by the node).
    Child(usize),
    Empty,
    EventRecord(usize),
    EventWait(usize),
    /// A graph allocation (its fixed range; `graphmem.rs`).
    MemAlloc(Arc<GraphAlloc>),
    /// Frees the graph allocation at this address.
    MemFree(CUdeviceptr),
    /// Stream memory operations (waits, writes, barriers; `memops.rs`).
    MemOps(Arc<super::memops::MemOpBatch>),
    /// An external-semaphore signal (`wait` false) or wait node with no semaphores, which
    /// NVIDIA's driver accepts through cuGraphAddNode (measured); cuemu imports no external
    /// semaphores, so these are all it can have. Does nothing.
    ExtSemNone { wait: bool },
}

impl NodeKind {
    pub fn type_code(&self) -> c_uint {
        match self {
            NodeKind::Kernel(_) => NODE_KERNEL,
            NodeKind::Memcpy(_) => NODE_MEMCPY,
            NodeKind::Memset(_) => NODE_MEMSET,
            NodeKind::Host(_) => NODE_HOST,
            NodeKind::Child(_) => NODE_GRAPH,
            NodeKind::Empty => NODE_EMPTY,
            NodeKind::EventWait(_) => NODE_WAIT_EVENT,
            NodeKind::EventRecord(_) => NODE_EVENT_RECORD,
            NodeKind::MemAlloc(_) => NODE_MEM_ALLOC,
            NodeKind::MemFree(_) => NODE_MEM_FREE,
            NodeKind::MemOps(_) => NODE_BATCH_MEM_OP,
            NodeKind::ExtSemNone { wait } => if *wait { NODE_EXT_SEMAS_WAIT } else { NODE_EXT_SEMAS_SIGNAL },
        }
    }
}

#[derive(Clone)]
pub struct Node {
    pub handle: usize,
    pub kind: NodeKind,
    pub deps: Vec<usize>,
    /// Storage for the `kernelParams` array handed out by cuGraphKernelNodeGetParams.
    pub(super) param_ptrs: Vec<usize>,
}

#[derive(Default)]
pub struct GraphData {
    pub nodes: Vec<Node>,
    /// For a clone: original node → node of this graph (cuGraphNodeFindInClone).
    clone_of: HashMap<usize, usize>,
    /// User-object references the graph owns (`userobj.rs`).
    pub user_refs: super::userobj::GraphRefs,
}

pub struct Graph {
    pub id: u32,
    pub data: Mutex<GraphData>,
}

pub(super) fn graphs() -> &'static Table<Graph> {
    static T: OnceLock<Table<Graph>> = OnceLock::new();
    T.get_or_init(Table::new)
}

/// Node handle → graph handle.
fn owners() -> &'static RwLock<HashMap<usize, usize>> {
    static T: OnceLock<RwLock<HashMap<usize, usize>>> = OnceLock::new();
    T.get_or_init(|| RwLock::new(HashMap::new()))
}

fn next_graph_id() -> u32 {
    static N: AtomicU32 = AtomicU32::new(1);
    N.fetch_add(1, Ordering::Relaxed)
}

pub fn new_graph() -> usize {
    let (h, _) = graphs().insert(Graph { id: next_graph_id(), data: Mutex::new(GraphData::default()) });
    h
}

pub(super) fn graph(h: CUgraph) -> CuResult<Arc<Graph>> {
    graphs().get(h).ok_or(CUDA_ERROR_INVALID_VALUE)
}

pub(super) fn node_graph(n: CUgraphNode) -> CuResult<(usize, Arc<Graph>)> {
    let g = *owners().read().unwrap().get(&(n as usize)).ok_or(CUDA_ERROR_INVALID_VALUE)?;
    Ok((g, graphs().get(g as CUgraph).ok_or(CUDA_ERROR_INVALID_VALUE)?))
}

/// Runs `f` on the node `n` inside its graph.
pub(super) fn with_node<R>(n: CUgraphNode, f: impl FnOnce(&mut Node) -> CuResult<R>) -> CuResult<R> {
    let (_, g) = node_graph(n)?;
    let mut d = g.data.lock().unwrap();
    let node = d.nodes.iter_mut().find(|x| x.handle == n as usize).ok_or(CUDA_ERROR_INVALID_VALUE)?;
    f(node)
}

/// Adds a node to graph `g` (dependencies must be nodes of `g`). Used by capture too.
pub fn add_node(g: usize, kind: NodeKind, deps: &[usize]) -> CuResult<usize> {
    let gr = graphs().get(g as CUgraph).ok_or(CUDA_ERROR_INVALID_VALUE)?;
    let mut d = gr.data.lock().unwrap();
    for (i, dep) in deps.iter().enumerate() {
        if !d.nodes.iter().any(|n| n.handle == *dep) || deps[..i].contains(dep) {
            return Err(CUDA_ERROR_INVALID_VALUE);
        }
    }
    let h = new_handle();
    d.nodes.push(Node { handle: h, kind, deps: deps.to_vec(), param_ptrs: Vec::new() });
    owners().write().unwrap().insert(h, g);
    Ok(h)
}

pub(super) unsafe fn deps_slice<'a>(deps: *const CUgraphNode, n: usize) -> CuResult<Vec<usize>> {
    if n == 0 {
        return Ok(Vec::new());
    }
    if deps.is_null() {
        return Err(CUDA_ERROR_INVALID_VALUE);
    }
    Ok(std::slice::from_raw_parts(deps, n).iter().map(|d| *d as usize).collect())
}

/// Deep copy of a graph's nodes (children included) under new handles, registered as graph
/// `into`; returns original → copy.
fn copy_into(src: &GraphData, into: usize) -> HashMap<usize, usize> {
    let mut map = HashMap::new();
    for n in &src.nodes {
        map.insert(n.handle, new_handle());
    }
    let mut nodes = Vec::with_capacity(src.nodes.len());
    for n in &src.nodes {
        let kind = match &n.kind {
            NodeKind::Child(c) => NodeKind::Child(clone_graph(*c)),
            k => k.clone(),
        };
        nodes.push(Node { handle: map[&n.handle], kind, deps: n.deps.iter().map(|d| map[d]).collect(), param_ptrs: Vec::new() });
    }
    {
        let mut o = owners().write().unwrap();
        for n in &nodes {
            o.insert(n.handle, into);
        }
    }
    let g = graphs().get(into as CUgraph).expect("fresh graph");
    let mut d = g.data.lock().unwrap();
    d.nodes = nodes;
    d.clone_of = map.clone();
    // A clone (a child-graph node's copy too) owns references of its own (measured: the
    // objects of a graph embedded as a child live until the parent is destroyed).
    d.user_refs = src.user_refs.duplicate();
    map
}

/// A deep copy of graph `h` as a new graph (0 if `h` is gone).
pub(super) fn clone_graph(h: usize) -> usize {
    let Some(g) = graphs().get(h as CUgraph) else { return 0 };
    let new = new_graph();
    let src = g.data.lock().unwrap();
    copy_into(&src, new);
    new
}

pub(super) fn destroy_graph(h: usize) {
    if let Some(g) = graphs().remove(h as CUgraph) {
        let mut d = g.data.lock().unwrap();
        d.user_refs.release_all();
        let mut o = owners().write().unwrap();
        for n in &d.nodes {
            o.remove(&n.handle);
        }
        drop(o);
        for n in &d.nodes {
            if let NodeKind::Child(c) = n.kind {
                destroy_graph(c);
            }
        }
    }
}

/// A graph with the nodes of an executable graph (capturing a graph launch embeds it as a
/// child graph node).
pub fn graph_from_exec(e: &ExecGraph) -> usize {
    let g = new_graph();
    let mut handles: Vec<usize> = vec![0; e.nodes.len()];
    // In topological order, so that dependencies exist before their users.
    for &i in &e.order {
        let n = &e.nodes[i];
        let kind = match &n.child {
            Some(c) => NodeKind::Child(graph_from_exec(c)),
            None => n.kind.clone(),
        };
        let deps: Vec<usize> = n.deps.iter().map(|&d| handles[d]).collect();
        handles[i] = add_node(g, kind, &deps).expect("dependencies come first");
    }
    g
}

/// Used by stream capture to discard a failed capture's graph.
pub fn discard(h: usize) {
    destroy_graph(h);
}

/// Whether `anc` is `n` or one of its ancestors.
pub fn reaches(g: usize, anc: usize, n: usize) -> bool {
    let Some(gr) = graphs().get(g as CUgraph) else { return false };
    let d = gr.data.lock().unwrap();
    let idx: HashMap<usize, &Node> = d.nodes.iter().map(|x| (x.handle, x)).collect();
    let mut stack = vec![n];
    let mut seen = std::collections::HashSet::new();
    while let Some(x) = stack.pop() {
        if x == anc {
            return true;
        }
        if seen.insert(x) {
            if let Some(node) = idx.get(&x) {
                stack.extend(node.deps.iter().copied());
            }
        }
    }
    false
}

// ---- building node kinds from C parameters ----

pub unsafe fn kernel_node(p: &CUDA_KERNEL_NODE_PARAMS, v2: bool) -> CuResult<KernelNode> {
    let handle = if !p.func.is_null() {
        p.func
    } else if v2 && !p.kern.is_null() {
        p.kern
    } else {
        return Err(CUDA_ERROR_INVALID_VALUE);
    };
    let func = resolve_function(handle)?;
    let (grid, block) = ([p.grid_dim_x, p.grid_dim_y, p.grid_dim_z], [p.block_dim_x, p.block_dim_y, p.block_dim_z]);
    launch::validate(&func, grid, block, p.shared_mem_bytes)?;
    let cluster = launch::cluster_shape(&func, grid, None)?;
    let params = launch::pack_params(&func, p.kernel_params, p.extra)?;
    let (shared, attrs) = (p.shared_mem_bytes, Default::default());
    Ok(KernelNode { func, handle: handle as usize, grid, block, shared, cluster, params: Arc::new(params), attrs })
}

unsafe fn read_kernel_params(p: *const CUDA_KERNEL_NODE_PARAMS, v2: bool) -> CuResult<KernelNode> {
    if p.is_null() {
        return Err(CUDA_ERROR_INVALID_VALUE);
    }
    let mut q: CUDA_KERNEL_NODE_PARAMS = std::mem::zeroed();
    // v1 is the prefix up to `extra`.
    let n = if v2 { std::mem::size_of::<CUDA_KERNEL_NODE_PARAMS>() } else { std::mem::offset_of!(CUDA_KERNEL_NODE_PARAMS, kern) };
    std::ptr::copy_nonoverlapping(p as *const u8, &mut q as *mut _ as *mut u8, n);
    kernel_node(&q, v2)
}

pub fn memset_node(p: &CUDA_MEMSET_NODE_PARAMS) -> CuResult<Memset> {
    if !matches!(p.element_size, 1 | 2 | 4) || p.width == 0 || p.height == 0 {
        return Err(CUDA_ERROR_INVALID_VALUE);
    }
    let m = Memset { dst: p.dst, pitch: p.pitch, value: p.value, elem: p.element_size, width: p.width, height: p.height };
    memory::validate_memset(&m)?;
    Ok(m)
}

pub(super) fn host_node(p: *const CUDA_HOST_NODE_PARAMS) -> CuResult<Host> {
    if p.is_null() {
        return Err(CUDA_ERROR_INVALID_VALUE);
    }
    let p = unsafe { &*p };
    let f = p.fn_.ok_or(CUDA_ERROR_INVALID_VALUE)?;
    Ok(Host { f, user: p.user_data as usize })
}

// ---- executable graphs ----

#[derive(Clone)]
pub struct ExecNode {
    /// The node of the instantiated graph this one came from (what Exec*SetParams name).
    pub orig: usize,
    pub kind: NodeKind,
    pub child: Option<Arc<ExecGraph>>,
    pub deps: Vec<usize>,
    pub enabled: bool,
}

pub struct ExecGraph {
    /// In the instantiated graph's creation order; `deps` are indices.
    pub nodes: Vec<ExecNode>,
    /// A topological order (indices).
    pub order: Vec<usize>,
    /// The executable's user-object references (top level only): released once the
    /// executable is destroyed and no launch holds this snapshot any more.
    pub refs: Option<Arc<super::userobj::ExecRefs>>,
}

pub struct GraphExec {
    pub id: u32,
    pub flags: u64,
    pub ctx: usize,
    pub graph: RwLock<Arc<ExecGraph>>,
    /// Launch counter of the source graph's report record (`report.rs`), if it has one.
    launches: Option<Arc<std::sync::atomic::AtomicU64>>,
    /// The graph it was instantiated from.
    source: usize,
}

fn execs() -> &'static Table<GraphExec> {
    static T: OnceLock<Table<GraphExec>> = OnceLock::new();
    T.get_or_init(Table::new)
}

pub(super) fn exec(h: CUgraphExec) -> CuResult<Arc<GraphExec>> {
    execs().get(h).ok_or(CUDA_ERROR_INVALID_VALUE)
}

fn instantiate_data(d: &GraphData) -> CuResult<ExecGraph> {
    let index: HashMap<usize, usize> = d.nodes.iter().enumerate().map(|(i, n)| (n.handle, i)).collect();
    let mut nodes = Vec::with_capacity(d.nodes.len());
    for n in &d.nodes {
        let child = match n.kind {
            NodeKind::Child(c) => {
                let g = graphs().get(c as CUgraph).ok_or(CUDA_ERROR_INVALID_VALUE)?;
                let cd = g.data.lock().unwrap();
                Some(Arc::new(instantiate_data(&cd)?))
            }
            _ => None,
        };
        let deps = n.deps.iter().map(|x| index.get(x).copied().ok_or(CUDA_ERROR_INVALID_VALUE)).collect::<CuResult<Vec<_>>>()?;
        nodes.push(ExecNode { orig: n.handle, kind: n.kind.clone(), child, deps, enabled: true });
    }
    // Kahn's algorithm, smallest creation index first (a stable, deterministic order).
    let mut indeg: Vec<usize> = nodes.iter().map(|n| n.deps.len()).collect();
    let mut users: Vec<Vec<usize>> = vec![Vec::new(); nodes.len()];
    for (i, n) in nodes.iter().enumerate() {
        for &d in &n.deps {
            users[d].push(i);
        }
    }
    let mut ready: std::collections::BinaryHeap<std::cmp::Reverse<usize>> =
        (0..nodes.len()).filter(|&i| indeg[i] == 0).map(std::cmp::Reverse).collect();
    let mut order = Vec::with_capacity(nodes.len());
    while let Some(std::cmp::Reverse(i)) = ready.pop() {
        order.push(i);
        for &u in &users[i] {
            indeg[u] -= 1;
            if indeg[u] == 0 {
                ready.push(std::cmp::Reverse(u));
            }
        }
    }
    if order.len() != nodes.len() {
        tracing::warn!("graph has a cycle: cannot instantiate");
        return Err(CUDA_ERROR_INVALID_VALUE);
    }
    Ok(ExecGraph { nodes, order, refs: None })
}

/// Runs one node kind now, in `ctx` (a stream's work item or a graph node).
pub unsafe fn execute(kind: &NodeKind, ctx: &Arc<Context>) -> CuResult {
    match kind {
        NodeKind::Kernel(k) => launch::run(&k.func, ctx, k.config(), k.cluster, &k.params),
        NodeKind::Memcpy(p) => memory::copy_3d(p),
        NodeKind::Memset(m) => memory::do_memset(m),
        NodeKind::Host(h) => {
            (h.f)(h.user as *mut c_void);
            Ok(())
        }
        NodeKind::Child(c) => {
            let g = graphs().get(*c as CUgraph).ok_or(CUDA_ERROR_INVALID_VALUE)?;
            let eg = instantiate_data(&g.data.lock().unwrap())?;
            run_exec(&eg, ctx)
        }
        NodeKind::Empty | NodeKind::EventWait(_) | NodeKind::ExtSemNone { .. } => Ok(()),
        NodeKind::EventRecord(e) => {
            event::stamp(*e as CUevent);
            Ok(())
        }
        NodeKind::MemAlloc(a) => {
            graphmem::alloc_executed(a);
            Ok(())
        }
        NodeKind::MemFree(p) => {
            graphmem::free_executed(*p as usize);
            Ok(())
        }
        NodeKind::MemOps(b) => {
            super::memops::execute(&b.ops);
            Ok(())
        }
    }
}

pub unsafe fn run_exec(g: &ExecGraph, ctx: &Arc<Context>) -> CuResult {
    for &i in &g.order {
        let n = &g.nodes[i];
        if !n.enabled {
            continue;
        }
        match &n.child {
            Some(c) => run_exec(c, ctx)?,
            None => execute(&n.kind, ctx)?,
        }
    }
    Ok(())
}

// ---- entry points: graphs and nodes ----

pub unsafe fn create(ph: *mut CUgraph, flags: c_uint) -> CuResult {
    if ph.is_null() || flags != 0 {
        return Err(CUDA_ERROR_INVALID_VALUE);
    }
    context::current()?;
    let h = new_graph();
    announce(h, super::report::GraphOrigin::Built);
    *ph = h as CUgraph;
    Ok(())
}

pub unsafe fn destroy(g: CUgraph) -> CuResult {
    graph(g)?;
    super::report::graph_destroyed(g as usize, node_type_counts(g as usize).unwrap_or_default());
    destroy_graph(g as usize);
    Ok(())
}

pub unsafe fn clone(ph: *mut CUgraph, g: CUgraph) -> CuResult {
    if ph.is_null() {
        return Err(CUDA_ERROR_INVALID_VALUE);
    }
    refuse_if_memory_nodes(&*graph(g)?)?;
    let h = clone_graph(g as usize);
    announce(h, super::report::GraphOrigin::Cloned);
    *ph = h as CUgraph;
    Ok(())
}

pub unsafe fn node_find_in_clone(ph: *mut CUgraphNode, orig: CUgraphNode, cloned: CUgraph) -> CuResult {
    if ph.is_null() {
        return Err(CUDA_ERROR_INVALID_VALUE);
    }
    let g = graph(cloned)?;
    let d = g.data.lock().unwrap();
    *ph = *d.clone_of.get(&(orig as usize)).ok_or(CUDA_ERROR_INVALID_VALUE)? as CUgraphNode;
    Ok(())
}

pub(super) unsafe fn out_node(ph: *mut CUgraphNode, r: CuResult<usize>) -> CuResult {
    let h = r?;
    *ph = h as CUgraphNode;
    Ok(())
}

pub(super) unsafe fn add(ph: *mut CUgraphNode, g: CUgraph, deps: *const CUgraphNode, n: usize, kind: impl FnOnce() -> CuResult<NodeKind>) -> CuResult {
    if ph.is_null() {
        return Err(CUDA_ERROR_INVALID_VALUE);
    }
    graph(g)?;
    let deps = deps_slice(deps, n)?;
    let kind = kind()?;
    out_node(ph, add_node(g as usize, kind, &deps))
}

pub unsafe fn add_kernel_node(ph: *mut CUgraphNode, g: CUgraph, deps: *const CUgraphNode, n: usize, p: *const CUDA_KERNEL_NODE_PARAMS) -> CuResult {
    add(ph, g, deps, n, || Ok(NodeKind::Kernel(read_kernel_params(p, true)?)))
}

pub unsafe fn add_kernel_node_v1(ph: *mut CUgraphNode, g: CUgraph, deps: *const CUgraphNode, n: usize, p: *const CUDA_KERNEL_NODE_PARAMS) -> CuResult {
    add(ph, g, deps, n, || Ok(NodeKind::Kernel(read_kernel_params(p, false)?)))
}

pub unsafe fn add_memcpy_node(ph: *mut CUgraphNode, g: CUgraph, deps: *const CUgraphNode, n: usize, p: *const CUDA_MEMCPY3D, _ctx: CUcontext) -> CuResult {
    add(ph, g, deps, n, || {
        if p.is_null() {
            return Err(CUDA_ERROR_INVALID_VALUE);
        }
        memory::validate_copy_3d(&*p)?;
        Ok(NodeKind::Memcpy(*p))
    })
}

pub unsafe fn add_memset_node(ph: *mut CUgraphNode, g: CUgraph, deps: *const CUgraphNode, n: usize, p: *const CUDA_MEMSET_NODE_PARAMS, _ctx: CUcontext) -> CuResult {
    add(ph, g, deps, n, || {
        if p.is_null() {
            return Err(CUDA_ERROR_INVALID_VALUE);
        }
        Ok(NodeKind::Memset(memset_node(&*p)?))
    })
}

pub unsafe fn add_host_node(ph: *mut CUgraphNode, g: CUgraph, deps: *const CUgraphNode, n: usize, p: *const CUDA_HOST_NODE_PARAMS) -> CuResult {
    add(ph, g, deps, n, || Ok(NodeKind::Host(host_node(p)?)))
}

pub unsafe fn add_child_graph_node(ph: *mut CUgraphNode, g: CUgraph, deps: *const CUgraphNode, n: usize, child: CUgraph) -> CuResult {
    if child == g {
        return Err(CUDA_ERROR_INVALID_VALUE);
    }
    add(ph, g, deps, n, || {
        refuse_if_memory_nodes(&*graph(child)?)?;
        Ok(NodeKind::Child(clone_graph(child as usize)))
    })
}

pub unsafe fn add_empty_node(ph: *mut CUgraphNode, g: CUgraph, deps: *const CUgraphNode, n: usize) -> CuResult {
    add(ph, g, deps, n, || Ok(NodeKind::Empty))
}

pub unsafe fn add_event_record_node(ph: *mut CUgraphNode, g: CUgraph, deps: *const CUgraphNode, n: usize, ev: CUevent) -> CuResult {
    add(ph, g, deps, n, || {
        event::lookup(ev)?;
        Ok(NodeKind::EventRecord(ev as usize))
    })
}

pub unsafe fn add_event_wait_node(ph: *mut CUgraphNode, g: CUgraph, deps: *const CUgraphNode, n: usize, ev: CUevent) -> CuResult {
    add(ph, g, deps, n, || {
        event::lookup(ev)?;
        Ok(NodeKind::EventWait(ev as usize))
    })
}

pub unsafe fn destroy_node(n: CUgraphNode) -> CuResult {
    let (_, g) = node_graph(n)?;
    refuse_if_memory_nodes(&g)?;
    let child = {
        let mut d = g.data.lock().unwrap();
        let i = d.nodes.iter().position(|x| x.handle == n as usize).ok_or(CUDA_ERROR_INVALID_VALUE)?;
        let removed = d.nodes.remove(i);
        for x in d.nodes.iter_mut() {
            x.deps.retain(|&y| y != n as usize);
        }
        removed.kind
    };
    owners().write().unwrap().remove(&(n as usize));
    if let NodeKind::Child(c) = child {
        destroy_graph(c);
    }
    Ok(())
}

pub unsafe fn node_get_type(n: CUgraphNode, t: *mut c_uint) -> CuResult {
    if t.is_null() {
        return Err(CUDA_ERROR_INVALID_VALUE);
    }
    *t = with_node(n, |x| Ok(x.kind.type_code()))?;
    Ok(())
}

pub unsafe fn node_get_containing_graph(n: CUgraphNode, ph: *mut CUgraph) -> CuResult {
    if ph.is_null() {
        return Err(CUDA_ERROR_INVALID_VALUE);
    }
    *ph = node_graph(n)?.0 as CUgraph;
    Ok(())
}

pub unsafe fn get_id(g: CUgraph, id: *mut c_uint) -> CuResult {
    if id.is_null() {
        return Err(CUDA_ERROR_INVALID_VALUE);
    }
    *id = graph(g)?.id;
    Ok(())
}

/// Writes up to `*num` handles to `out` (if not NULL) and the count to `*num`.
unsafe fn write_list(out: *mut CUgraphNode, num: *mut usize, list: &[usize]) -> CuResult {
    if num.is_null() {
        return Err(CUDA_ERROR_INVALID_VALUE);
    }
    if out.is_null() {
        *num = list.len();
        return Ok(());
    }
    let k = (*num).min(list.len());
    for (i, h) in list.iter().take(k).enumerate() {
        *out.add(i) = *h as CUgraphNode;
    }
    // NVIDIA: when the array is larger than needed, the rest is zeroed and num is the count.
    for i in k..*num {
        *out.add(i) = std::ptr::null_mut();
    }
    *num = k;
    Ok(())
}

pub unsafe fn get_nodes(g: CUgraph, out: *mut CUgraphNode, num: *mut usize) -> CuResult {
    let gr = graph(g)?;
    let list: Vec<usize> = gr.data.lock().unwrap().nodes.iter().map(|n| n.handle).collect();
    write_list(out, num, &list)
}

pub unsafe fn get_root_nodes(g: CUgraph, out: *mut CUgraphNode, num: *mut usize) -> CuResult {
    let gr = graph(g)?;
    let list: Vec<usize> = gr.data.lock().unwrap().nodes.iter().filter(|n| n.deps.is_empty()).map(|n| n.handle).collect();
    write_list(out, num, &list)
}

unsafe fn zero_edge_data(ed: *mut CUgraphEdgeData, n: usize) {
    if !ed.is_null() {
        for i in 0..n {
            *ed.add(i) = CUgraphEdgeData::default();
        }
    }
}

pub unsafe fn get_edges_v2(g: CUgraph, from: *mut CUgraphNode, to: *mut CUgraphNode, ed: *mut CUgraphEdgeData, num: *mut usize) -> CuResult {
    if num.is_null() || from.is_null() != to.is_null() {
        return Err(CUDA_ERROR_INVALID_VALUE);
    }
    let gr = graph(g)?;
    let edges: Vec<(usize, usize)> =
        gr.data.lock().unwrap().nodes.iter().flat_map(|n| n.deps.iter().map(move |d| (*d, n.handle))).collect();
    if from.is_null() {
        *num = edges.len();
        return Ok(());
    }
    let k = (*num).min(edges.len());
    for (i, (a, b)) in edges.iter().take(k).enumerate() {
        *from.add(i) = *a as CUgraphNode;
        *to.add(i) = *b as CUgraphNode;
    }
    zero_edge_data(ed, k);
    *num = k;
    Ok(())
}

pub unsafe fn get_edges(g: CUgraph, from: *mut CUgraphNode, to: *mut CUgraphNode, num: *mut usize) -> CuResult {
    get_edges_v2(g, from, to, std::ptr::null_mut(), num)
}

pub unsafe fn node_get_dependencies_v2(n: CUgraphNode, out: *mut CUgraphNode, ed: *mut CUgraphEdgeData, num: *mut usize) -> CuResult {
    let deps = with_node(n, |x| Ok(x.deps.clone()))?;
    write_list(out, num, &deps)?;
    if !out.is_null() {
        zero_edge_data(ed, *num);
    }
    Ok(())
}

pub unsafe fn node_get_dependencies(n: CUgraphNode, out: *mut CUgraphNode, num: *mut usize) -> CuResult {
    node_get_dependencies_v2(n, out, std::ptr::null_mut(), num)
}

pub unsafe fn node_get_dependent_nodes_v2(n: CUgraphNode, out: *mut CUgraphNode, ed: *mut CUgraphEdgeData, num: *mut usize) -> CuResult {
    let (_, g) = node_graph(n)?;
    let list: Vec<usize> = g.data.lock().unwrap().nodes.iter().filter(|x| x.deps.contains(&(n as usize))).map(|x| x.handle).collect();
    write_list(out, num, &list)?;
    if !out.is_null() {
        zero_edge_data(ed, *num);
    }
    Ok(())
}

pub unsafe fn node_get_dependent_nodes(n: CUgraphNode, out: *mut CUgraphNode, num: *mut usize) -> CuResult {
    node_get_dependent_nodes_v2(n, out, std::ptr::null_mut(), num)
}

unsafe fn edit_deps(g: CUgraph, from: *const CUgraphNode, to: *const CUgraphNode, num: usize, add: bool) -> CuResult {
    let gr = graph(g)?;
    if !add {
        refuse_if_memory_nodes(&gr)?;
    }
    if num > 0 && (from.is_null() || to.is_null()) {
        return Err(CUDA_ERROR_INVALID_VALUE);
    }
    let mut d = gr.data.lock().unwrap();
    for i in 0..num {
        let (a, b) = (*from.add(i) as usize, *to.add(i) as usize);
        if a == b || !d.nodes.iter().any(|n| n.handle == a) {
            return Err(CUDA_ERROR_INVALID_VALUE);
        }
        let node = d.nodes.iter_mut().find(|n| n.handle == b).ok_or(CUDA_ERROR_INVALID_VALUE)?;
        let has = node.deps.contains(&a);
        if add {
            if has {
                return Err(CUDA_ERROR_INVALID_VALUE);
            }
            node.deps.push(a);
        } else {
            if !has {
                return Err(CUDA_ERROR_INVALID_VALUE);
            }
            node.deps.retain(|&x| x != a);
        }
    }
    Ok(())
}

pub unsafe fn add_dependencies(g: CUgraph, from: *const CUgraphNode, to: *const CUgraphNode, num: usize) -> CuResult {
    edit_deps(g, from, to, num, true)
}
pub unsafe fn add_dependencies_v2(g: CUgraph, from: *const CUgraphNode, to: *const CUgraphNode, _ed: *const CUgraphEdgeData, num: usize) -> CuResult {
    edit_deps(g, from, to, num, true)
}
pub unsafe fn remove_dependencies(g: CUgraph, from: *const CUgraphNode, to: *const CUgraphNode, num: usize) -> CuResult {
    edit_deps(g, from, to, num, false)
}
pub unsafe fn remove_dependencies_v2(g: CUgraph, from: *const CUgraphNode, to: *const CUgraphNode, _ed: *const CUgraphEdgeData, num: usize) -> CuResult {
    edit_deps(g, from, to, num, false)
}

// ---- memory nodes ----

fn has_memory_nodes(g: &Graph) -> bool {
    g.data.lock().unwrap().nodes.iter().any(|n| matches!(n.kind, NodeKind::MemAlloc(_) | NodeKind::MemFree(_)))
}

/// A graph with memory nodes cannot be cloned, embedded as a child, or lose nodes or edges.
pub(super) fn refuse_if_memory_nodes(g: &Graph) -> CuResult {
    if has_memory_nodes(g) {
        return Err(CUDA_ERROR_NOT_SUPPORTED);
    }
    Ok(())
}

/// The allocation nodes of an executable graph and the addresses its free nodes free.
fn memory_nodes(g: &ExecGraph) -> (Vec<Arc<GraphAlloc>>, Vec<usize>) {
    let (mut allocs, mut frees) = (Vec::new(), Vec::new());
    for n in &g.nodes {
        match &n.kind {
            NodeKind::MemAlloc(a) => allocs.push(a.clone()),
            NodeKind::MemFree(p) => frees.push(*p as usize),
            _ => {}
        }
    }
    (allocs, frees)
}

pub unsafe fn add_mem_alloc_node(ph: *mut CUgraphNode, g: CUgraph, deps: *const CUgraphNode, n: usize, p: *mut CUDA_MEM_ALLOC_NODE_PARAMS) -> CuResult {
    if p.is_null() || ph.is_null() {
        return Err(CUDA_ERROR_INVALID_VALUE);
    }
    let c = context::current_checked()?;
    graph(g)?;
    let deps = deps_slice(deps, n)?;
    let q = *p;
    if q.access_desc_count > 0 && q.access_descs.is_null() {
        return Err(CUDA_ERROR_INVALID_VALUE);
    }
    let access = if q.access_desc_count == 0 { &[][..] } else { std::slice::from_raw_parts(q.access_descs, q.access_desc_count) };
    let a = graphmem::new_alloc(&q.pool_props, access, q.bytesize, c.handle)?;
    let base = a.base;
    out_node(ph, add_node(g as usize, NodeKind::MemAlloc(a), &deps))?;
    (*p).dptr = base as CUdeviceptr;
    Ok(())
}

pub unsafe fn add_mem_free_node(ph: *mut CUgraphNode, g: CUgraph, deps: *const CUgraphNode, n: usize, dptr: CUdeviceptr) -> CuResult {
    add(ph, g, deps, n, || {
        if !graphmem::is_graph_alloc(dptr as usize) {
            return Err(CUDA_ERROR_INVALID_VALUE);
        }
        // An allocation is freed at most once in a graph, and not by its own graph once that
        // was instantiated (measured on an H100, even after the executable is destroyed).
        let gr = graph(g)?;
        let d = gr.data.lock().unwrap();
        let refused = d.nodes.iter().any(|x| match &x.kind {
            NodeKind::MemFree(p) => *p == dptr,
            NodeKind::MemAlloc(a) => a.base == dptr as usize && a.instantiated.load(std::sync::atomic::Ordering::Relaxed),
            _ => false,
        });
        if refused {
            return Err(CUDA_ERROR_INVALID_VALUE);
        }
        Ok(NodeKind::MemFree(dptr))
    })
}

pub unsafe fn mem_alloc_node_get_params(n: CUgraphNode, p: *mut CUDA_MEM_ALLOC_NODE_PARAMS) -> CuResult {
    if p.is_null() {
        return Err(CUDA_ERROR_INVALID_VALUE);
    }
    *p = with_node(n, |x| match &x.kind {
        NodeKind::MemAlloc(a) => Ok(CUDA_MEM_ALLOC_NODE_PARAMS {
            pool_props: a.props,
            access_descs: if a.access.is_empty() { std::ptr::null() } else { a.access.as_ptr() },
            access_desc_count: a.access.len(),
            bytesize: a.size,
            dptr: a.base as CUdeviceptr,
        }),
        _ => Err(CUDA_ERROR_INVALID_VALUE),
    })?;
    Ok(())
}

pub unsafe fn mem_free_node_get_params(n: CUgraphNode, dptr: *mut CUdeviceptr) -> CuResult {
    if dptr.is_null() {
        return Err(CUDA_ERROR_INVALID_VALUE);
    }
    *dptr = with_node(n, |x| match x.kind {
        NodeKind::MemFree(p) => Ok(p),
        _ => Err(CUDA_ERROR_INVALID_VALUE),
    })?;
    Ok(())
}

// ---- batch-mem-op nodes ----

use super::memops::CUDA_BATCH_MEM_OP_NODE_PARAMS;

pub unsafe fn add_batch_mem_op_node(ph: *mut CUgraphNode, g: CUgraph, deps: *const CUgraphNode, n: usize, p: *const CUDA_BATCH_MEM_OP_NODE_PARAMS) -> CuResult {
    add(ph, g, deps, n, || Ok(NodeKind::MemOps(super::memops::node_batch(p)?)))
}

/// The parameter array returned belongs to the node (valid until its parameters change).
pub unsafe fn batch_mem_op_node_get_params(n: CUgraphNode, p: *mut CUDA_BATCH_MEM_OP_NODE_PARAMS) -> CuResult {
    if p.is_null() {
        return Err(CUDA_ERROR_INVALID_VALUE);
    }
    let ctx = context::current().map(|c| c.handle()).unwrap_or(std::ptr::null_mut());
    *p = with_node(n, |x| match &x.kind {
        NodeKind::MemOps(b) => Ok(CUDA_BATCH_MEM_OP_NODE_PARAMS {
            ctx,
            count: b.params.len() as c_uint,
            param_array: if b.params.is_empty() { std::ptr::null_mut() } else { b.params.as_ptr() as *mut _ },
            flags: 0,
        }),
        _ => Err(CUDA_ERROR_INVALID_VALUE),
    })?;
    Ok(())
}

pub unsafe fn batch_mem_op_node_set_params(n: CUgraphNode, p: *const CUDA_BATCH_MEM_OP_NODE_PARAMS) -> CuResult {
    set_kind(n, NODE_BATCH_MEM_OP, NodeKind::MemOps(super::memops::node_batch(p)?))
}

pub unsafe fn exec_batch_mem_op_node_set_params(e: CUgraphExec, n: CUgraphNode, p: *const CUDA_BATCH_MEM_OP_NODE_PARAMS) -> CuResult {
    exec_set(e, n, NODE_BATCH_MEM_OP, NodeKind::MemOps(super::memops::node_batch(p)?))
}

// ---- per-node parameters ----

pub unsafe fn kernel_node_get_params(n: CUgraphNode, p: *mut CUDA_KERNEL_NODE_PARAMS) -> CuResult {
    kernel_get(n, p, true)
}
pub unsafe fn kernel_node_get_params_v1(n: CUgraphNode, p: *mut CUDA_KERNEL_NODE_PARAMS) -> CuResult {
    kernel_get(n, p, false)
}

pub(super) unsafe fn kernel_get(n: CUgraphNode, p: *mut CUDA_KERNEL_NODE_PARAMS, v2: bool) -> CuResult {
    if p.is_null() {
        return Err(CUDA_ERROR_INVALID_VALUE);
    }
    let q = with_node(n, |x| {
        let NodeKind::Kernel(k) = &x.kind else { return Err(CUDA_ERROR_INVALID_VALUE) };
        let base = k.params.as_ptr() as usize;
        x.param_ptrs = k.func.info.params.iter().map(|pi| base + pi.offset).collect();
        Ok(CUDA_KERNEL_NODE_PARAMS {
            // NVIDIA answers the CUfunction (cudart maps it back to the host stub) and, for a
            // node made from a CUkernel, that kernel as well.
            func: k.func.handle as CUfunction,
            grid_dim_x: k.grid[0],
            grid_dim_y: k.grid[1],
            grid_dim_z: k.grid[2],
            block_dim_x: k.block[0],
            block_dim_y: k.block[1],
            block_dim_z: k.block[2],
            shared_mem_bytes: k.shared,
            kernel_params: x.param_ptrs.as_mut_ptr() as *mut *mut c_void,
            extra: std::ptr::null_mut(),
            kern: if k.handle != k.func.handle { k.handle as CUkernel } else { std::ptr::null_mut() },
            ctx: std::ptr::null_mut(),
        })
    })?;
    let n = if v2 { std::mem::size_of::<CUDA_KERNEL_NODE_PARAMS>() } else { std::mem::offset_of!(CUDA_KERNEL_NODE_PARAMS, kern) };
    std::ptr::copy_nonoverlapping(&q as *const _ as *const u8, p as *mut u8, n);
    Ok(())
}

pub(super) unsafe fn set_kind(n: CUgraphNode, want: c_uint, kind: NodeKind) -> CuResult {
    with_node(n, |x| {
        if x.kind.type_code() != want {
            return Err(CUDA_ERROR_INVALID_VALUE);
        }
        x.kind = kind;
        Ok(())
    })
}

pub unsafe fn kernel_node_set_params(n: CUgraphNode, p: *const CUDA_KERNEL_NODE_PARAMS) -> CuResult {
    set_kind(n, NODE_KERNEL, NodeKind::Kernel(read_kernel_params(p, true)?))
}
pub unsafe fn kernel_node_set_params_v1(n: CUgraphNode, p: *const CUDA_KERNEL_NODE_PARAMS) -> CuResult {
    set_kind(n, NODE_KERNEL, NodeKind::Kernel(read_kernel_params(p, false)?))
}

pub unsafe fn kernel_node_get_attribute(n: CUgraphNode, attr: c_uint, out: *mut [u8; 64]) -> CuResult {
    if out.is_null() {
        return Err(CUDA_ERROR_INVALID_VALUE);
    }
    with_node(n, |x| match &x.kind {
        NodeKind::Kernel(k) => super::kernel_attrs::get(k, attr, &mut *out),
        _ => Err(CUDA_ERROR_INVALID_VALUE),
    })
}

pub unsafe fn kernel_node_set_attribute(n: CUgraphNode, attr: c_uint, value: *const [u8; 64]) -> CuResult {
    if value.is_null() {
        return Err(CUDA_ERROR_INVALID_VALUE);
    }
    with_node(n, |x| match &mut x.kind {
        NodeKind::Kernel(k) => super::kernel_attrs::set(k, attr, &*value),
        _ => Err(CUDA_ERROR_INVALID_VALUE),
    })
}

pub unsafe fn kernel_node_copy_attributes(dst: CUgraphNode, src: CUgraphNode) -> CuResult {
    let from = with_node(src, |x| match &x.kind {
        NodeKind::Kernel(k) => Ok(k.clone()),
        _ => Err(CUDA_ERROR_INVALID_VALUE),
    })?;
    with_node(dst, |x| match &mut x.kind {
        NodeKind::Kernel(k) => {
            super::kernel_attrs::copy(k, &from);
            Ok(())
        }
        _ => Err(CUDA_ERROR_INVALID_VALUE),
    })
}

pub unsafe fn memcpy_node_get_params(n: CUgraphNode, p: *mut CUDA_MEMCPY3D) -> CuResult {
    if p.is_null() {
        return Err(CUDA_ERROR_INVALID_VALUE);
    }
    *p = with_node(n, |x| match &x.kind {
        NodeKind::Memcpy(c) => Ok(*c),
        _ => Err(CUDA_ERROR_INVALID_VALUE),
    })?;
    Ok(())
}

pub unsafe fn memcpy_node_set_params(n: CUgraphNode, p: *const CUDA_MEMCPY3D) -> CuResult {
    if p.is_null() {
        return Err(CUDA_ERROR_INVALID_VALUE);
    }
    memory::validate_copy_3d(&*p)?;
    set_kind(n, NODE_MEMCPY, NodeKind::Memcpy(*p))
}

pub unsafe fn memset_node_get_params(n: CUgraphNode, p: *mut CUDA_MEMSET_NODE_PARAMS) -> CuResult {
    if p.is_null() {
        return Err(CUDA_ERROR_INVALID_VALUE);
    }
    *p = with_node(n, |x| match &x.kind {
        NodeKind::Memset(m) => {
            Ok(CUDA_MEMSET_NODE_PARAMS { dst: m.dst, pitch: m.pitch, value: m.value, element_size: m.elem, width: m.width, height: m.height })
        }
        _ => Err(CUDA_ERROR_INVALID_VALUE),
    })?;
    Ok(())
}

pub unsafe fn memset_node_set_params(n: CUgraphNode, p: *const CUDA_MEMSET_NODE_PARAMS) -> CuResult {
    if p.is_null() {
        return Err(CUDA_ERROR_INVALID_VALUE);
    }
    set_kind(n, NODE_MEMSET, NodeKind::Memset(memset_node(&*p)?))
}

pub unsafe fn host_node_get_params(n: CUgraphNode, p: *mut CUDA_HOST_NODE_PARAMS) -> CuResult {
    if p.is_null() {
        return Err(CUDA_ERROR_INVALID_VALUE);
    }
    *p = with_node(n, |x| match &x.kind {
        NodeKind::Host(h) => Ok(CUDA_HOST_NODE_PARAMS { fn_: Some(h.f), user_data: h.user as *mut c_void }),
        _ => Err(CUDA_ERROR_INVALID_VALUE),
    })?;
    Ok(())
}

pub unsafe fn host_node_set_params(n: CUgraphNode, p: *const CUDA_HOST_NODE_PARAMS) -> CuResult {
    set_kind(n, NODE_HOST, NodeKind::Host(host_node(p)?))
}

pub unsafe fn child_graph_node_get_graph(n: CUgraphNode, ph: *mut CUgraph) -> CuResult {
    if ph.is_null() {
        return Err(CUDA_ERROR_INVALID_VALUE);
    }
    *ph = with_node(n, |x| match x.kind {
        NodeKind::Child(c) => Ok(c as CUgraph),
        _ => Err(CUDA_ERROR_INVALID_VALUE),
    })?;
    Ok(())
}

unsafe fn event_get(n: CUgraphNode, out: *mut CUevent, want: c_uint) -> CuResult {
    if out.is_null() {
        return Err(CUDA_ERROR_INVALID_VALUE);
    }
    *out = with_node(n, |x| match x.kind {
        NodeKind::EventRecord(e) if want == NODE_EVENT_RECORD => Ok(e as CUevent),
        NodeKind::EventWait(e) if want == NODE_WAIT_EVENT => Ok(e as CUevent),
        _ => Err(CUDA_ERROR_INVALID_VALUE),
    })?;
    Ok(())
}

pub unsafe fn event_record_node_get_event(n: CUgraphNode, out: *mut CUevent) -> CuResult {
    event_get(n, out, NODE_EVENT_RECORD)
}
pub unsafe fn event_wait_node_get_event(n: CUgraphNode, out: *mut CUevent) -> CuResult {
    event_get(n, out, NODE_WAIT_EVENT)
}
pub unsafe fn event_record_node_set_event(n: CUgraphNode, ev: CUevent) -> CuResult {
    event::lookup(ev)?;
    set_kind(n, NODE_EVENT_RECORD, NodeKind::EventRecord(ev as usize))
}
pub unsafe fn event_wait_node_set_event(n: CUgraphNode, ev: CUevent) -> CuResult {
    event::lookup(ev)?;
    set_kind(n, NODE_WAIT_EVENT, NodeKind::EventWait(ev as usize))
}

// ---- instantiate, launch, update ----

unsafe fn instantiate_graph(ph: *mut CUgraphExec, g: CUgraph, flags: u64) -> CuResult {
    if ph.is_null() {
        return Err(CUDA_ERROR_INVALID_VALUE);
    }
    let c = context::current_checked()?;
    let gr = graph(g)?;
    if has_memory_nodes(&gr) && execs().snapshot().iter().any(|(_, e)| e.source == g as usize) {
        // Only one instantiation of a graph with memory nodes may exist at a time
        // (CUDA_ERROR_NOT_SUPPORTED, measured on an H100).
        return Err(CUDA_ERROR_NOT_SUPPORTED);
    }
    let mut eg = instantiate_data(&gr.data.lock().unwrap())?;
    let mut objs = Vec::new();
    user_objects_of(g as usize, &mut objs, 0);
    eg.refs = super::userobj::ExecRefs::take(objs);
    for n in &eg.nodes {
        if let NodeKind::MemAlloc(a) = &n.kind {
            a.instantiated.store(true, std::sync::atomic::Ordering::Relaxed);
        }
    }
    let h = super::new_handle();
    let launches = super::report::graph_instantiated(g as usize, h, node_type_counts(g as usize).unwrap_or_default());
    execs().insert_arc(h, Arc::new(GraphExec { id: next_graph_id(), flags, ctx: c.handle, graph: RwLock::new(Arc::new(eg)), launches, source: g as usize }));
    *ph = h as CUgraphExec;
    Ok(())
}

/// CUDA_GRAPH_INSTANTIATE_FLAG_{AUTO_FREE_ON_LAUNCH, UPLOAD, DEVICE_LAUNCH, USE_NODE_PRIORITY}.
const INSTANTIATE_FLAGS: u64 = 1 | 2 | 4 | 8;
const INSTANTIATE_FLAG_AUTO_FREE_ON_LAUNCH: u64 = 1;

pub unsafe fn instantiate_with_flags(ph: *mut CUgraphExec, g: CUgraph, flags: u64) -> CuResult {
    if flags & !INSTANTIATE_FLAGS != 0 {
        return Err(CUDA_ERROR_INVALID_VALUE);
    }
    instantiate_graph(ph, g, flags)
}

/// The legacy 5-argument form (`cuGraphInstantiate`/`_v2`): error node and log buffer.
pub unsafe fn instantiate_legacy(ph: *mut CUgraphExec, g: CUgraph, err_node: *mut CUgraphNode, log: *mut c_char, log_size: usize) -> CuResult {
    if !err_node.is_null() {
        *err_node = std::ptr::null_mut();
    }
    if !log.is_null() && log_size > 0 {
        *log = 0;
    }
    instantiate_graph(ph, g, 0)
}

pub unsafe fn instantiate_with_params(ph: *mut CUgraphExec, g: CUgraph, p: *mut CUDA_GRAPH_INSTANTIATE_PARAMS) -> CuResult {
    if p.is_null() {
        return Err(CUDA_ERROR_INVALID_VALUE);
    }
    let flags = (*p).flags;
    (*p).h_err_node_out = std::ptr::null_mut();
    let r = instantiate_with_flags(ph, g, flags);
    // CUgraphInstantiateResult: SUCCESS 0, ERROR 1.
    (*p).result_out = if r.is_ok() { 0 } else { 1 };
    r
}

pub unsafe fn exec_destroy(e: CUgraphExec) -> CuResult {
    execs().remove(e).ok_or(CUDA_ERROR_INVALID_VALUE)?;
    super::report::exec_destroyed(e as usize);
    Ok(())
}

pub unsafe fn exec_get_flags(e: CUgraphExec, flags: *mut u64) -> CuResult {
    if flags.is_null() {
        return Err(CUDA_ERROR_INVALID_VALUE);
    }
    *flags = exec(e)?.flags;
    Ok(())
}

pub unsafe fn exec_get_id(e: CUgraphExec, id: *mut c_uint) -> CuResult {
    if id.is_null() {
        return Err(CUDA_ERROR_INVALID_VALUE);
    }
    *id = exec(e)?.id;
    Ok(())
}

pub unsafe fn upload(e: CUgraphExec, h: CUstream) -> CuResult {
    exec(e)?;
    stream::resolve(h).map(|_| ())
}

pub unsafe fn launch(e: CUgraphExec, h: CUstream) -> CuResult {
    let ex = exec(e)?;
    let snapshot = ex.graph.read().unwrap().clone();
    let (allocs, frees) = memory_nodes(&snapshot);
    graphmem::check_launch(&allocs, ex.flags & INSTANTIATE_FLAG_AUTO_FREE_ON_LAUNCH != 0)?;
    stream::enqueue_graph(h, snapshot)?;
    graphmem::commit_launch(&allocs, &frees);
    super::report::graph_launched(ex.launches.as_deref());
    Ok(())
}

/// Replaces the parameters of the exec node made from `n` (top level only).
pub(super) unsafe fn exec_set(e: CUgraphExec, n: CUgraphNode, want: c_uint, kind: NodeKind) -> CuResult {
    let ex = exec(e)?;
    let mut g = ex.graph.write().unwrap();
    let i = g.nodes.iter().position(|x| x.orig == n as usize).ok_or(CUDA_ERROR_INVALID_VALUE)?;
    if g.nodes[i].kind.type_code() != want {
        return Err(CUDA_ERROR_INVALID_VALUE);
    }
    let mut nodes = g.nodes.clone();
    nodes[i].kind = kind;
    *g = Arc::new(ExecGraph { nodes, order: g.order.clone(), refs: g.refs.clone() });
    Ok(())
}

pub unsafe fn exec_kernel_node_set_params(e: CUgraphExec, n: CUgraphNode, p: *const CUDA_KERNEL_NODE_PARAMS) -> CuResult {
    exec_set(e, n, NODE_KERNEL, NodeKind::Kernel(read_kernel_params(p, true)?))
}
pub unsafe fn exec_kernel_node_set_params_v1(e: CUgraphExec, n: CUgraphNode, p: *const CUDA_KERNEL_NODE_PARAMS) -> CuResult {
    exec_set(e, n, NODE_KERNEL, NodeKind::Kernel(read_kernel_params(p, false)?))
}
pub unsafe fn exec_memcpy_node_set_params(e: CUgraphExec, n: CUgraphNode, p: *const CUDA_MEMCPY3D, _ctx: CUcontext) -> CuResult {
    if p.is_null() {
        return Err(CUDA_ERROR_INVALID_VALUE);
    }
    memory::validate_copy_3d(&*p)?;
    exec_set(e, n, NODE_MEMCPY, NodeKind::Memcpy(*p))
}
pub unsafe fn exec_memset_node_set_params(e: CUgraphExec, n: CUgraphNode, p: *const CUDA_MEMSET_NODE_PARAMS, _ctx: CUcontext) -> CuResult {
    if p.is_null() {
        return Err(CUDA_ERROR_INVALID_VALUE);
    }
    exec_set(e, n, NODE_MEMSET, NodeKind::Memset(memset_node(&*p)?))
}
pub unsafe fn exec_host_node_set_params(e: CUgraphExec, n: CUgraphNode, p: *const CUDA_HOST_NODE_PARAMS) -> CuResult {
    exec_set(e, n, NODE_HOST, NodeKind::Host(host_node(p)?))
}
pub unsafe fn exec_event_record_node_set_event(e: CUgraphExec, n: CUgraphNode, ev: CUevent) -> CuResult {
    event::lookup(ev)?;
    exec_set(e, n, NODE_EVENT_RECORD, NodeKind::EventRecord(ev as usize))
}
pub unsafe fn exec_event_wait_node_set_event(e: CUgraphExec, n: CUgraphNode, ev: CUevent) -> CuResult {
    event::lookup(ev)?;
    exec_set(e, n, NODE_WAIT_EVENT, NodeKind::EventWait(ev as usize))
}

pub unsafe fn exec_child_graph_node_set_params(e: CUgraphExec, n: CUgraphNode, child: CUgraph) -> CuResult {
    let ex = exec(e)?;
    let cg = graph(child)?;
    let new_child = instantiate_data(&cg.data.lock().unwrap())?;
    let mut g = ex.graph.write().unwrap();
    let i = g.nodes.iter().position(|x| x.orig == n as usize).ok_or(CUDA_ERROR_INVALID_VALUE)?;
    let Some(old) = &g.nodes[i].child else { return Err(CUDA_ERROR_INVALID_VALUE) };
    if !same_shape(old, &new_child) {
        return Err(CUDA_ERROR_INVALID_VALUE);
    }
    let mut nodes = g.nodes.clone();
    nodes[i].child = Some(Arc::new(adopt(old, &new_child)));
    *g = Arc::new(ExecGraph { nodes, order: g.order.clone(), refs: g.refs.clone() });
    Ok(())
}

pub unsafe fn node_set_enabled(e: CUgraphExec, n: CUgraphNode, on: c_uint) -> CuResult {
    let ex = exec(e)?;
    let mut g = ex.graph.write().unwrap();
    let i = g.nodes.iter().position(|x| x.orig == n as usize).ok_or(CUDA_ERROR_INVALID_VALUE)?;
    if !matches!(g.nodes[i].kind.type_code(), NODE_KERNEL | NODE_MEMCPY | NODE_MEMSET) {
        return Err(CUDA_ERROR_INVALID_VALUE);
    }
    let mut nodes = g.nodes.clone();
    nodes[i].enabled = on != 0;
    *g = Arc::new(ExecGraph { nodes, order: g.order.clone(), refs: g.refs.clone() });
    Ok(())
}

pub unsafe fn node_get_enabled(e: CUgraphExec, n: CUgraphNode, on: *mut c_uint) -> CuResult {
    if on.is_null() {
        return Err(CUDA_ERROR_INVALID_VALUE);
    }
    let ex = exec(e)?;
    let g = ex.graph.read().unwrap();
    *on = g.nodes.iter().find(|x| x.orig == n as usize).ok_or(CUDA_ERROR_INVALID_VALUE)?.enabled as c_uint;
    Ok(())
}

// CUgraphExecUpdateResult
const UPDATE_SUCCESS: c_uint = 0;
const UPDATE_ERROR_TOPOLOGY_CHANGED: c_uint = 2;
const UPDATE_ERROR_NODE_TYPE_CHANGED: c_uint = 3;

/// Same node count, types and dependency structure (children recursively).
fn same_shape(a: &ExecGraph, b: &ExecGraph) -> bool {
    a.nodes.len() == b.nodes.len()
        && a.nodes.iter().zip(&b.nodes).all(|(x, y)| {
            let mut dx = x.deps.clone();
            let mut dy = y.deps.clone();
            dx.sort_unstable();
            dy.sort_unstable();
            x.kind.type_code() == y.kind.type_code()
                && dx == dy
                && match (&x.child, &y.child) {
                    (Some(p), Some(q)) => same_shape(p, q),
                    (None, None) => true,
                    _ => false,
                }
        })
}

/// `new`'s parameters under `old`'s node identities (what Exec*SetParams keep naming).
fn adopt(old: &ExecGraph, new: &ExecGraph) -> ExecGraph {
    let nodes = old
        .nodes
        .iter()
        .zip(&new.nodes)
        .map(|(o, n)| ExecNode {
            orig: o.orig,
            kind: n.kind.clone(),
            child: match (&o.child, &n.child) {
                (Some(p), Some(q)) => Some(Arc::new(adopt(p, q))),
                _ => None,
            },
            deps: o.deps.clone(),
            enabled: o.enabled,
        })
        .collect();
    ExecGraph { nodes, order: old.order.clone(), refs: old.refs.clone() }
}

/// First mismatch between an exec graph and a candidate: (result code, node, from node).
fn first_mismatch(a: &ExecGraph, b: &ExecGraph, b_handles: &[usize]) -> (c_uint, usize, usize) {
    if a.nodes.len() != b.nodes.len() {
        return (UPDATE_ERROR_TOPOLOGY_CHANGED, 0, 0);
    }
    for (i, (x, y)) in a.nodes.iter().zip(&b.nodes).enumerate() {
        if x.kind.type_code() != y.kind.type_code() {
            return (UPDATE_ERROR_NODE_TYPE_CHANGED, b_handles[i], 0);
        }
    }
    (UPDATE_ERROR_TOPOLOGY_CHANGED, 0, 0)
}

pub unsafe fn exec_update_v2(e: CUgraphExec, g: CUgraph, info: *mut CUgraphExecUpdateResultInfo) -> CuResult {
    if info.is_null() {
        return Err(CUDA_ERROR_INVALID_VALUE);
    }
    let (r, node, from) = update(e, g)?;
    *info = CUgraphExecUpdateResultInfo { result: r, error_node: node as CUgraphNode, error_from_node: from as CUgraphNode };
    if r == UPDATE_SUCCESS {
        Ok(())
    } else {
        Err(CUDA_ERROR_GRAPH_EXEC_UPDATE_FAILURE)
    }
}

pub unsafe fn exec_update_v1(e: CUgraphExec, g: CUgraph, err_node: *mut CUgraphNode, result: *mut c_uint) -> CuResult {
    if err_node.is_null() || result.is_null() {
        return Err(CUDA_ERROR_INVALID_VALUE);
    }
    let (r, node, _) = update(e, g)?;
    *err_node = node as CUgraphNode;
    *result = r;
    if r == UPDATE_SUCCESS {
        Ok(())
    } else {
        Err(CUDA_ERROR_GRAPH_EXEC_UPDATE_FAILURE)
    }
}

unsafe fn update(e: CUgraphExec, g: CUgraph) -> CuResult<(c_uint, usize, usize)> {
    let ex = exec(e)?;
    let gr = graph(g)?;
    let (candidate, handles) = {
        let d = gr.data.lock().unwrap();
        (instantiate_data(&d)?, d.nodes.iter().map(|n| n.handle).collect::<Vec<_>>())
    };
    let mut cur = ex.graph.write().unwrap();
    if !same_shape(&cur, &candidate) {
        return Ok(first_mismatch(&cur, &candidate, &handles));
    }
    *cur = Arc::new(adopt(&cur, &candidate));
    Ok((UPDATE_SUCCESS, 0, 0))
}

// ---- child graphs moved into nodes (graphparams.rs) ----

/// Whether graph `root` embeds `target` as a child graph, at any depth.
pub(super) fn contains_graph(root: usize, target: usize) -> bool {
    fn walk(g: usize, target: usize, depth: usize) -> bool {
        let Some(gr) = graphs().get(g as CUgraph) else { return false };
        let children: Vec<usize> =
            gr.data.lock().unwrap().nodes.iter().filter_map(|n| if let NodeKind::Child(c) = n.kind { Some(c) } else { None }).collect();
        children.iter().any(|&c| c == target || (depth < 64 && walk(c, target, depth + 1)))
    }
    walk(root, target, 0)
}

/// Whether graph `h` is some node's child graph.
pub(super) fn is_embedded(h: usize) -> bool {
    graphs().snapshot().iter().any(|(_, g)| g.data.lock().unwrap().nodes.iter().any(|n| matches!(n.kind, NodeKind::Child(c) if c == h)))
}

// ---- user objects ----

/// The user objects graph `g` and its child graphs hold references to.
fn user_objects_of(g: usize, out: &mut Vec<usize>, depth: usize) {
    let Some(gr) = graphs().get(g as CUgraph) else { return };
    let children: Vec<usize> = {
        let d = gr.data.lock().unwrap();
        out.extend(super::userobj::objects_of(&d.user_refs));
        d.nodes.iter().filter_map(|n| if let NodeKind::Child(c) = n.kind { Some(c) } else { None }).collect()
    };
    if depth < 64 {
        for c in children {
            user_objects_of(c, out, depth + 1);
        }
    }
}

pub unsafe fn retain_user_object(g: CUgraph, o: super::userobj::CUuserObject, count: c_uint, flags: c_uint) -> CuResult {
    let gr = graph(g)?;
    let mut d = gr.data.lock().unwrap();
    super::userobj::graph_retain(&mut d.user_refs, o, count, flags)
}

pub unsafe fn release_user_object(g: CUgraph, o: super::userobj::CUuserObject, count: c_uint) -> CuResult {
    let gr = graph(g)?;
    let mut d = gr.data.lock().unwrap();
    super::userobj::graph_release(&mut d.user_refs, o, count)
}

// ---- DOT ----

fn dot_graph(out: &mut String, g: usize, prefix: &str, depth: usize) {
    let Some(gr) = graphs().get(g as CUgraph) else { return };
    let d = gr.data.lock().unwrap();
    let name = |h: usize| format!("\"{prefix}node_{h:x}\"");
    let _ = writeln!(out, "subgraph cluster_{prefix}{} {{\nlabel=\"graph_{}\"", gr.id, gr.id);
    for (i, n) in d.nodes.iter().enumerate() {
        let label = match &n.kind {
            NodeKind::Kernel(k) => format!(
                "KERNEL\\n{}\\ngrid ({},{},{}) block ({},{},{}) shared {}",
                k.func.name.to_string_lossy(),
                k.grid[0],
                k.grid[1],
                k.grid[2],
                k.block[0],
                k.block[1],
                k.block[2],
                k.shared
            ),
            NodeKind::Memcpy(c) => format!("MEMCPY\\n{} x {} x {} bytes", c.width_in_bytes, c.height, c.depth),
            NodeKind::Memset(m) => format!("MEMSET\\ndst {:#x} value {:#x} elem {} {}x{}", m.dst, m.value, m.elem, m.width, m.height),
            NodeKind::Host(h) => format!("HOST\\nfn {:#x} data {:#x}", h.f as usize, h.user),
            NodeKind::Child(_) => "GRAPH".to_string(),
            NodeKind::Empty => "EMPTY".to_string(),
            NodeKind::EventRecord(e) => format!("EVENT_RECORD\\nevent {e:#x}"),
            NodeKind::EventWait(e) => format!("EVENT_WAIT\\nevent {e:#x}"),
            NodeKind::MemAlloc(a) => format!("MEM_ALLOC\\ndptr {:#x} size {}", a.base, a.size),
            NodeKind::MemFree(p) => format!("MEM_FREE\\ndptr {p:#x}"),
            NodeKind::MemOps(b) => format!("BATCH_MEM_OP\\n{} operation(s)", b.ops.len()),
            NodeKind::ExtSemNone { wait } => if *wait { "EXT_SEMAS_WAIT\\n0 semaphores" } else { "EXT_SEMAS_SIGNAL\\n0 semaphores" }.to_string(),
        };
        let _ = writeln!(out, "{}[shape=\"box\" label=\"{i}: {label}\"];", name(n.handle));
        if let NodeKind::Child(c) = n.kind {
            if depth < 16 {
                dot_graph(out, c, &format!("{prefix}{:x}_", n.handle), depth + 1);
            }
        }
    }
    for n in &d.nodes {
        for dep in &n.deps {
            let _ = writeln!(out, "{} -> {};", name(*dep), name(n.handle));
        }
    }
    let _ = writeln!(out, "}}");
}

pub unsafe fn debug_dot_print(g: CUgraph, path: *const c_char, _flags: c_uint) -> CuResult {
    if path.is_null() {
        return Err(CUDA_ERROR_INVALID_VALUE);
    }
    graph(g)?;
    let mut s = String::from("digraph dot {\n");
    dot_graph(&mut s, g as usize, "", 0);
    s.push_str("}\n");
    let p = CStr::from_ptr(path).to_str().map_err(|_| CUDA_ERROR_INVALID_VALUE)?;
    std::fs::write(p, s).map_err(|_| CUDA_ERROR_OPERATING_SYSTEM)
}

/// Records a graph the program made with the report (`report.rs`).
pub fn announce(h: usize, origin: super::report::GraphOrigin) {
    let id = graphs().get(h as CUgraph).map_or(0, |g| g.id);
    super::report::graph_created(h, id, origin, node_type_counts(h).unwrap_or_default());
}

/// Node count per CUgraphNodeType of graph `h` (top level), ascending by type.
pub fn node_type_counts(h: usize) -> Option<Vec<(c_uint, usize)>> {
    let g = graphs().get(h as CUgraph)?;
    let d = g.data.lock().unwrap_or_else(|e| e.into_inner());
    let mut m = std::collections::BTreeMap::new();
    for n in &d.nodes {
        *m.entry(n.kind.type_code()).or_insert(0) += 1;
    }
    Some(m.into_iter().collect())
}

/// Counts for `cuemu info` / diagnostics: (graphs, executable graphs).
pub fn counts() -> (usize, usize) {
    (graphs().snapshot().len(), execs().snapshot().len())
}

/// Kernel function of a node kind (for traces).
pub fn describe(kind: &NodeKind) -> String {
    match kind {
        NodeKind::Kernel(k) => format!("kernel {}", k.func.name.to_string_lossy()),
        k => format!("node type {}", k.type_code()),
    }
}

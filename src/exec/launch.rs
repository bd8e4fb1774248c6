//! Running a grid: blocks spread over the rayon pool in chunks, the warps of a block as
//! coroutines that switch only at block barriers.
//!
//! A kernel whose code has no barrier runs its warps one after the other, straight calls with
//! no coroutine at all. The CTAs of a thread-block cluster run together: the warps of all its
//! CTAs are coroutines of one group (the cluster barrier suspends them until every CTA's warps
//! arrived), and their shared windows lie a fixed stride apart in one mapping, each flush
//! against a guard of its own (`shared_arena`), so that one CTA reaches another's window
//! (distributed shared memory) by rank and offset but faults past the end of any. Otherwise
//! each warp gets a coroutine on a reusable stack (pooled per worker thread); the block
//! scheduler resumes live warps round-robin. A warp that reaches a
//! barrier not yet complete suspends; the last one to arrive releases it. A full round with
//! no progress while warps still wait is a deadlock, reported as a launch failure, not a hang.

use super::fault::{self, Trapped};
use super::runtime::{BlockCtx, ClusterCtx, FaultKind, LaunchFault, WarpCtx, WARP};
use super::shared_arena::SharedWindows;
use super::{ClusterShape, LaunchConfig};
use corosensei::stack::DefaultStack;
use corosensei::{Coroutine, CoroutineResult};
use rayon::prelude::*;
use std::cell::RefCell;
use std::sync::atomic::{AtomicU64, Ordering};

pub type KernelFn = unsafe extern "C" fn(*mut WarpCtx);

/// What a compiled kernel needs from the launcher.
pub struct LaunchPlan {
    pub entry: KernelFn,
    pub uses_barriers: bool,
    /// It polls memory inside a loop: with several warps a block runs them as coroutines
    /// that switch after a number of polls (`WarpCtx::spin_yield`).
    pub spin_loops: bool,
    pub static_shared: usize,
    /// Local-memory bytes a warp may use (all lanes, all frames).
    pub local_per_warp: usize,
    /// Host stack a warp's coroutine needs (the compiled frames can be megabytes).
    pub stack_bytes: usize,
}

const COROUTINE_STACK: usize = 1 << 20;

fn stack_size(s: &DefaultStack) -> usize {
    use corosensei::stack::Stack;
    s.base().get() - s.limit().get()
}

/// A pooled stack of at least `bytes`, or a new one (smaller pooled stacks are freed).
fn pooled_stack(bytes: usize) -> DefaultStack {
    let bytes = bytes.max(COROUTINE_STACK);
    while let Some(s) = STACKS.with(|p| p.borrow_mut().pop()) {
        if stack_size(&s) >= bytes {
            return s;
        }
    }
    DefaultStack::new(bytes).expect("coroutine stack")
}

/// A run of consecutive blocks of a barrier-free kernel, for the runner coroutine. The warp
/// contexts are built once per run: from block to block only `%ctaid`, the local stack
/// pointer and the block state change, so a block costs a few stores, not a setup.
struct Batch {
    entry: KernelFn,
    ctxs: *mut WarpCtx,
    n: usize,
    block: *mut BlockCtx,
    blocks: std::ops::Range<u64>,
    grid: [u32; 3],
    fault: *const LaunchFault,
    /// The block being run (for the fault message).
    current: [u32; 3],
}

type Runner = Coroutine<*mut Batch, (), Result<(), Trapped>>;

thread_local! {
    static STACKS: RefCell<Vec<DefaultStack>> = const { RefCell::new(Vec::new()) };
    static RUNNER: RefCell<Option<(Runner, usize)>> = const { RefCell::new(None) };
}

fn new_runner(stack_bytes: usize) -> (Runner, usize) {
    let stack = pooled_stack(stack_bytes);
    let size = stack_size(&stack);
    (new_runner_on(stack), size)
}

fn new_runner_on(stack: DefaultStack) -> Runner {
    Coroutine::with_stack(stack, |yielder, mut batch: *mut Batch| loop {
        // SAFETY: the launcher keeps the batch and its contexts alive across the resume.
        unsafe {
            let b = &mut *batch;
            for blk in b.blocks.clone() {
                if (*b.fault).is_set() {
                    break;
                }
                let ctaid = ctaid_of(blk, b.grid);
                b.current = ctaid;
                b.block.write(BlockCtx::new(b.n as u32, b.fault));
                for i in 0..b.n {
                    let ctx = b.ctxs.add(i);
                    (*ctx).ctaid = ctaid;
                    (*ctx).local_sp = (*ctx).local as u64;
                    (b.entry)(ctx);
                }
            }
        }
        batch = yielder.suspend(());
    })
}

/// Runs the blocks `blocks` of a barrier-free kernel on this thread's runner coroutine: the
/// warps of each block one after the other, straight calls. The coroutine exists only so that
/// a memory fault in kernel code can unwind to here (see `fault.rs`).
fn run_straight(grid: &Grid, scratch: &mut Scratch, blocks: std::ops::Range<u64>) {
    let (plan, cfg, fault) = (grid.plan, grid.cfg, &grid.fault);
    let mut block = BlockCtx::new(grid.nwarps, fault);
    scratch.ctxs.clear();
    fill_warp_ctxs(grid, scratch, [0; 3], &block, 0, 0);
    fault::prepare_thread();
    RUNNER.with(|r| {
        let mut slot = r.borrow_mut();
        if slot.as_ref().is_some_and(|(_, size)| *size < plan.stack_bytes) {
            // Too small for this kernel's frames: park its stack, take a bigger one.
            // Its frames (parked between batches) own nothing: abandon them.
            let (mut small, _) = slot.take().unwrap();
            if small.started() && !small.done() {
                unsafe { small.force_reset() };
            }
            STACKS.with(|s| s.borrow_mut().push(small.into_stack()));
        }
        let (runner, _) = slot.get_or_insert_with(|| new_runner(plan.stack_bytes));
        let mut batch = Batch {
            entry: plan.entry,
            ctxs: scratch.ctxs.as_mut_ptr(),
            n: scratch.ctxs.len(),
            block: &mut block,
            blocks,
            grid: cfg.grid,
            fault,
            current: [0; 3],
        };
        let handler = runner.trap_handler();
        match fault::with_trap_handler(handler, || runner.resume(&mut batch)) {
            CoroutineResult::Yield(()) => {}
            CoroutineResult::Return(result) => {
                // Trapped: the runner is finished; keep its stack, start a new one next time.
                let (dead, _) = slot.take().unwrap();
                STACKS.with(|s| s.borrow_mut().push(dead.into_stack()));
                if let Err(t) = result {
                    let (kind, msg) = trapped_fault(t, batch.current, grid, scratch);
                    fault.raise(kind, msg);
                }
            }
        }
    })
}

/// `%ctaid` of the block with linear index `b` (x fastest).
fn ctaid_of(b: u64, grid: [u32; 3]) -> [u32; 3] {
    let (gx, gy) = (grid[0] as u64, grid[1] as u64);
    [(b % gx) as u32, ((b / gx) % gy) as u32, (b / (gx * gy)) as u32]
}

/// What every block of one launch shares.
struct Grid<'a> {
    plan: &'a LaunchPlan,
    cfg: &'a LaunchConfig,
    nwarps: u32,
    /// `%tid` of each lane of each warp: the same in every block.
    tids: Vec<[[u32; WARP]; 3]>,
    /// The packed parameter buffer (an address: the grid is shared by the pool's threads).
    params: usize,
    fault: LaunchFault,
    cluster: ClusterShape,
    /// CTAs per cluster.
    cluster_size: u32,
    /// Bytes of a CTA's shared window (the reserved bytes, static and dynamic variables,
    /// rounded up to 128 as an H100 rounds the allocation).
    shared_window: usize,
    /// Cooperative launch: the grid workspace's address (`WarpCtx::grid_workspace`).
    workspace: u64,
    /// `WarpCtx::spin_yield` of every warp.
    spin_yield: u32,
}

/// Scratch memory of one worker thread, reused from block to block.
struct Scratch {
    shared: SharedWindows,
    local: Vec<u64>,
    ctxs: Vec<WarpCtx>,
}

/// Runs the grid; `cluster` has been validated (its shape divides the grid).
pub fn run_grid(plan: &LaunchPlan, cfg: &LaunchConfig, cluster: ClusterShape, params: &[u8]) -> Result<(), (FaultKind, String)> {
    let [gx, gy, gz] = cfg.grid;
    let [bx, by, bz] = cfg.block;
    let cluster_size = cluster.dim.iter().product::<u32>();
    // A task is a cluster of CTAs (one CTA without clusters).
    let nblocks = gx as u64 * gy as u64 * gz as u64 / cluster_size as u64;
    // cooperative_groups' grid workspace: { size, barrier counter } (driver_abi.h).
    let workspace: Option<Box<[u32; 2]>> = cluster.cooperative.then(|| Box::new([8, 0]));
    let nthreads = bx * by * bz;
    let nwarps = nthreads.div_ceil(WARP as u32);
    // The window starts with the reserved bytes before the variables (compile::SHARED_RESERVED).
    let shared_bytes = super::compile::SHARED_RESERVED as usize + plan.static_shared + cfg.dynamic_shared_bytes as usize;
    // Rounded to 128 bytes as an H100 rounds the allocation: the window ends there (see
    // shared_arena).
    let shared_window = shared_bytes.div_ceil(128).max(1) * 128;
    let threads = rayon::current_num_threads() as u64;
    // Enough chunks to balance uneven blocks, few enough to keep scheduling cheap. Kernels that
    // poll memory in a loop take their blocks one at a time (below: in order): a block that
    // waits for the block before it (a decoupled look-back) must not find it queued at the
    // end of another worker's run — chained runs would execute one after the other.
    let chunk = if plan.spin_loops { 1 } else { (nblocks / (threads * 8)).clamp(1, 4096) };
    let grid = Grid {
        plan,
        cfg,
        nwarps,
        tids: (0..nwarps)
            .map(|w| {
                let mut tid = [[0u32; WARP]; 3];
                for l in 0..WARP as u32 {
                    let lin = w * WARP as u32 + l;
                    if lin < nthreads {
                        tid[0][l as usize] = lin % bx;
                        tid[1][l as usize] = (lin / bx) % by;
                        tid[2][l as usize] = lin / (bx * by);
                    }
                }
                tid
            })
            .collect(),
        params: params.as_ptr() as usize,
        fault: LaunchFault::default(),
        cluster,
        cluster_size,
        shared_window,
        workspace: workspace.as_ref().map_or(no_grid_workspace(), |w| w.as_ptr() as usize) as u64,
        spin_yield: if cluster.cooperative {
            1
        } else if plan.spin_loops {
            super::runtime::SPIN_POLLS
        } else {
            0
        },
    };
    if cluster.cooperative {
        return run_cooperative(&grid, nblocks * cluster_size as u64);
    }
    let grid = &grid;
    let init = || Scratch {
        shared: SharedWindows::new(shared_window, cluster_size as usize),
        local: vec![0u64; (plan.local_per_warp * nwarps as usize * cluster_size as usize).div_ceil(8).max(1)],
        ctxs: Vec::new(),
    };
    let d = grid.cluster.dim;
    let nclusters = [gx / d[0], gy / d[1], gz / d[2]];
    // The CTAs of task (cluster) `b`, by rank (x fastest).
    let ctaids_of = |b: u64, out: &mut Vec<[u32; 3]>| {
        let cid = ctaid_of(b, nclusters);
        out.clear();
        for r in 0..cluster_size {
            let local = ctaid_of(r as u64, d);
            out.push([cid[0] * d[0] + local[0], cid[1] * d[1] + local[1], cid[2] * d[2] + local[2]]);
        }
    };
    // Runs are handed out in order, as a GPU dispatches blocks: when a block starts, every
    // block before it has started, so a block that waits for an earlier one (CUB's decoupled
    // look-back in scans, sorts, reduce_by_key) waits for a block another worker is running.
    // Rayon's splitting of the range (the first half to one worker, the second to another)
    // made the second half's first block spin until the first half was done: a
    // thrust::inclusive_scan of 2^22 u64 took twice as long on 2 threads as on 1.
    let nruns = nblocks.div_ceil(chunk);
    let next = AtomicU64::new(0);
    let take = || {
        let r = next.fetch_add(1, Ordering::Relaxed);
        (r < nruns).then_some(r)
    };
    let workers = if nruns <= 1 || threads <= 1 { 1 } else { threads.min(nruns) as usize };
    let each_worker = |work: &(dyn Fn() + Sync)| {
        if workers == 1 {
            work();
        } else {
            (0..workers).into_par_iter().for_each(|_| work());
        }
    };
    if plan.spin_loops {
        // Blocks that poll memory may wait for each other, earlier or later ones (chunk is 1).
        each_worker(&|| run_elastic(grid, &init, &take, &ctaids_of));
    } else {
        // One task is a run of blocks: a barrier-free kernel runs it in one runner resume, a
        // kernel with barriers block by block.
        each_worker(&|| {
            let mut scratch = init();
            let mut ctaids = Vec::with_capacity(cluster_size as usize);
            while let Some(r) = take() {
                let first = r * chunk;
                let blocks = first..(first + chunk).min(nblocks);
                if grid.fault.is_set() {
                    return;
                }
                if !plan.uses_barriers && cluster_size == 1 {
                    run_straight(grid, &mut scratch, blocks);
                    continue;
                }
                for b in blocks {
                    if grid.fault.is_set() {
                        return;
                    }
                    ctaids_of(b, &mut ctaids);
                    run_group(grid, &mut scratch, &ctaids);
                }
            }
        });
    }
    if grid.fault.is_set() {
        return Err(grid.fault.fault.lock().unwrap_or_else(|e| e.into_inner()).clone().unwrap_or((FaultKind::Trap, String::new())));
    }
    Ok(())
}

/// Appends the warp contexts of the block with cluster rank `rank` to `scratch.ctxs`; its
/// shared window and local memory are the `window`-th of the scratch (= `rank`, except in a
/// cooperative launch, where every CTA of the grid has its own).
fn fill_warp_ctxs(grid: &Grid, scratch: &mut Scratch, ctaid: [u32; 3], block: *const BlockCtx, rank: u32, window: u32) {
    let (plan, cfg, nwarps, params) = (grid.plan, grid.cfg, grid.nwarps, grid.params as *const u8);
    let [bx, by, bz] = cfg.block;
    let nthreads = bx * by * bz;
    let cluster_shared = scratch.shared.window_ptr((window - rank) as usize);
    let shared = scratch.shared.window_ptr(window as usize);
    let shared_stride = scratch.shared.stride() as u64;
    let local_base = scratch.local.as_mut_ptr() as *mut u8;
    for w in 0..nwarps {
        let first = w * WARP as u32;
        let lanes = (nthreads - first).min(WARP as u32);
        let local = unsafe { local_base.add((window * nwarps + w) as usize * plan.local_per_warp) };
        scratch.ctxs.push(WarpCtx {
            params,
            shared,
            local,
            local_sp: local as u64,
            block,
            init_mask: if lanes == 32 { u32::MAX } else { (1u32 << lanes) - 1 },
            warp_id: w,
            ntid: cfg.block,
            ctaid,
            nctaid: cfg.grid,
            nwarps,
            dyn_shared_bytes: cfg.dynamic_shared_bytes,
            _pad: 0,
            tid: &grid.tids[w as usize],
            local_end: local as u64 + plan.local_per_warp as u64,
            yielder: std::ptr::null(),
            cluster_dim: grid.cluster.dim,
            cluster_rank: rank,
            cluster_size: grid.cluster_size,
            explicit_cluster: grid.cluster.explicit as u32,
            cluster_shared,
            shared_stride,
            cluster_phase: 0,
            spin_yield: grid.spin_yield,
            spin_budget: grid.spin_yield,
            grid_workspace: grid.workspace,
        });
    }
}

/// The grid workspace of a launch that is not cooperative: NVIDIA's driver 580 gives every
/// launch one (`this_grid().is_valid()` is true in an ordinary launch on an H100,
/// tests/programs/coop_grid.cu), and `grid.sync()` there works only if every block happens to
/// be resident. Here blocks of an ordinary launch do not run side by side, so the workspace is
/// an inaccessible page: `is_valid()` answers as on the GPU, and a grid barrier is a clean
/// CUDA_ERROR_ILLEGAL_ADDRESS that says why ([`trapped_fault`]), never a hang.
fn no_grid_workspace() -> usize {
    static PAGE: std::sync::OnceLock<usize> = std::sync::OnceLock::new();
    *PAGE.get_or_init(|| unsafe {
        let p = libc::mmap(std::ptr::null_mut(), 4096, libc::PROT_NONE, libc::MAP_PRIVATE | libc::MAP_ANONYMOUS, -1, 0);
        assert!(p != libc::MAP_FAILED, "mmap of the guard page failed");
        p as usize
    })
}

/// A cooperative launch (cuLaunchCooperativeKernel): the driver has checked that the grid
/// fits the device at once, and here it does — every warp of every CTA is a coroutine of one
/// group on the calling thread, so a grid barrier (cooperative_groups' `grid.sync()`: an
/// atomic on the grid workspace, then polling it with `ld.acquire`) completes: a polling
/// warp yields (`cuemu_spin_hint`) and the CTAs that have not arrived yet run.
fn run_cooperative(grid: &Grid, ctas: u64) -> Result<(), (FaultKind, String)> {
    let plan = grid.plan;
    let mut scratch = Scratch {
        shared: SharedWindows::new(grid.shared_window, ctas as usize),
        local: vec![0u64; (plan.local_per_warp * grid.nwarps as usize * ctas as usize).div_ceil(8).max(1)],
        ctxs: Vec::new(),
    };
    let ctaids: Vec<[u32; 3]> = (0..ctas).map(|b| ctaid_of(b, grid.cfg.grid)).collect();
    run_group(grid, &mut scratch, &ctaids);
    if grid.fault.is_set() {
        return Err(grid.fault.fault.lock().unwrap_or_else(|e| e.into_inner()).clone().unwrap_or((FaultKind::Trap, String::new())));
    }
    Ok(())
}

/// The CTAs of one task (a block, a cluster by rank, or a cooperative launch's whole grid) with
/// every warp a coroutine, resumed round-robin by [`Group::round`]. Its warp contexts, shared
/// windows and local memory are those of `scratch`, which outlives it.
struct Group {
    scratch: *mut Scratch,
    ctaids: Vec<[u32; 3]>,
    blocks: Vec<BlockCtx>,
    clusters: Vec<ClusterCtx>,
    coroutines: Vec<Coroutine<(), (), Result<(), Trapped>>>,
    done: Vec<bool>,
    remaining: usize,
}

/// What a round of a group did: `progress` (a barrier released, a warp finished), `spun` (a
/// warp used up its polls: it waits for memory something else writes).
struct Round {
    progress: bool,
    spun: bool,
}

impl Group {
    fn new(grid: &Grid, scratch: *mut Scratch, ctaids: &[[u32; 3]]) -> Group {
        let (plan, nwarps, fault) = (grid.plan, grid.nwarps, &grid.fault);
        // SAFETY: the caller keeps `scratch` alive, and touches it not, while the group lives.
        let sc = unsafe { &mut *scratch };
        // One cluster barrier per cluster (a cooperative group holds the grid's clusters).
        let per_cluster = grid.cluster_size as usize;
        let clusters: Vec<ClusterCtx> = (0..ctaids.len().div_ceil(per_cluster)).map(|_| ClusterCtx::new(nwarps * per_cluster as u32)).collect();
        let blocks: Vec<BlockCtx> = ctaids.iter().map(|_| BlockCtx::new(nwarps, fault)).collect();
        sc.ctxs.clear();
        for (window, (block, &ctaid)) in blocks.iter().zip(ctaids).enumerate() {
            block.cluster.set(&clusters[window / per_cluster]);
            fill_warp_ctxs(grid, sc, ctaid, block, (window % per_cluster) as u32, window as u32);
        }
        fault::prepare_thread();
        // Coroutine stacks are pooled per worker thread and moved into the coroutines.
        let stacks: Vec<DefaultStack> = (0..sc.ctxs.len()).map(|_| pooled_stack(plan.stack_bytes)).collect();
        let entry = plan.entry;
        let mut coroutines: Vec<Coroutine<(), (), Result<(), Trapped>>> = Vec::with_capacity(sc.ctxs.len());
        for (ctx, stack) in sc.ctxs.iter_mut().zip(stacks) {
            let ctx_ptr: *mut WarpCtx = ctx;
            coroutines.push(Coroutine::with_stack(stack, move |yielder, ()| unsafe {
                (*ctx_ptr).yielder = yielder;
                entry(ctx_ptr);
                Ok(())
            }));
        }
        let n = coroutines.len();
        Group { scratch, ctaids: ctaids.to_vec(), blocks, clusters, coroutines, done: vec![false; n], remaining: n }
    }

    /// Resumes every warp that has not finished once.
    fn round(&mut self, grid: &Grid) -> Round {
        for b in &self.blocks {
            b.progress.set(false);
            b.spun.set(false);
        }
        self.clusters.iter().for_each(|c| c.progress.set(false));
        for (i, co) in self.coroutines.iter_mut().enumerate() {
            if self.done[i] {
                continue;
            }
            let handler = co.trap_handler();
            match fault::with_trap_handler(handler, || co.resume(())) {
                CoroutineResult::Yield(()) => {}
                CoroutineResult::Return(r) => {
                    self.done[i] = true;
                    self.remaining -= 1;
                    let rank = i / grid.nwarps as usize;
                    self.blocks[rank].warp_exited();
                    if let Err(t) = r {
                        let (kind, msg) = trapped_fault(t, self.ctaids[rank], grid, unsafe { &*self.scratch });
                        grid.fault.raise(kind, msg);
                    }
                }
            }
        }
        Round {
            progress: self.clusters.iter().any(|c| c.progress.get()) || self.blocks.iter().any(|b| b.progress.get()),
            spun: self.blocks.iter().any(|b| b.spun.get()),
        }
    }

    fn finished(&self) -> bool {
        self.remaining == 0
    }

    /// The fault of warps that wait at a barrier no warp will ever reach.
    fn raise_deadlock(&self, grid: &Grid) {
        if grid.fault.is_set() {
            return;
        }
        let c = self.ctaids[0];
        let whose = if self.ctaids.len() == 1 { "block" } else { "the cluster of block" };
        grid.fault.raise(FaultKind::Deadlock, format!(
            "barrier deadlock in {whose} ({}, {}, {}): {} warp(s) wait at a barrier that can never complete",
            c[0], c[1], c[2], self.remaining
        ));
    }
}

impl Drop for Group {
    fn drop(&mut self) {
        // Warps that never finished (a deadlock, a fault elsewhere) never resume: mark their
        // coroutines finished so the stacks can be reused. Their frames are abandoned (nothing
        // in them owns memory).
        for (i, co) in self.coroutines.iter_mut().enumerate() {
            if !self.done[i] && co.started() {
                unsafe { co.force_reset() };
            }
        }
        let cos = std::mem::take(&mut self.coroutines);
        STACKS.with(|s| s.borrow_mut().extend(cos.into_iter().map(|c| c.into_stack())));
    }
}

/// Rounds in a row without progress after which waiting warps are a deadlock. A wait that
/// finds its phase incomplete suspends once and then returns false (mbarrier.test_wait/
/// try_wait, which also return false on the H100): a few such rounds are a program testing a
/// barrier, only many a deadlock.
const DEADLOCK_ROUNDS: u32 = 64;

/// What the schedulers do after a round while warps are `live`: yield the host thread when a
/// warp polled for what another host thread's block writes (an earlier block's look-back
/// status, another CTA's flag; that thread gets the CPU if the threads outnumber the cores),
/// and count the rounds without progress, a spin counting as progress (the poll may succeed
/// once the others ran). True once they are a deadlock.
fn settle(r: &Round, live: bool, idle_rounds: &mut u32) -> bool {
    if r.spun && live {
        std::thread::yield_now();
    }
    *idle_rounds = if r.progress || r.spun { 0 } else { *idle_rounds + 1 };
    live && *idle_rounds > DEADLOCK_ROUNDS
}

/// Runs the CTAs `ctaids` (one cluster, by rank; a cooperative launch's grid) to completion.
fn run_group(grid: &Grid, scratch: &mut Scratch, ctaids: &[[u32; 3]]) {
    let mut g = Group::new(grid, scratch, ctaids);
    let mut idle_rounds = 0u32;
    while !g.finished() {
        let r = g.round(grid);
        let deadlock = settle(&r, !g.finished(), &mut idle_rounds);
        if deadlock || (!g.finished() && grid.fault.is_set()) {
            g.raise_deadlock(grid);
            break;
        }
    }
}

/// Rounds in a row in which a worker's warps only polled before it takes in the next block.
const STALL_ROUNDS: u32 = 8;
/// ... and how long it must have gone without progress.
const STALL_TIME: std::time::Duration = std::time::Duration::from_micros(200);
/// The most tasks (blocks or clusters) one worker holds at once: an H100 holds at most
/// 132 SMs × 32 blocks.
const MAX_RESIDENT: usize = 132 * 32;

/// One worker of a kernel that polls memory in a loop: it takes tasks in order from `take` and
/// runs them as a GPU's SM runs resident blocks. One task at a time while it makes progress;
/// when its warps have only polled for a while (they wait for memory another block writes,
/// maybe a block not started yet: a grid barrier built from atomics, a flag a later block
/// sets), it takes in the next task beside them, as the GPU would have it resident. So a
/// block that waits for a later block finishes as long as the grid would fit the GPU at once.
fn run_elastic(grid: &Grid, init: &dyn Fn() -> Scratch, take: &dyn Fn() -> Option<u64>, ctaids_of: &dyn Fn(u64, &mut Vec<[u32; 3]>)) {
    // Each group owns a boxed scratch (its address is stable while the group lives).
    let mut groups: Vec<(Group, Box<Scratch>)> = Vec::new();
    let mut spare: Vec<Box<Scratch>> = Vec::new();
    let mut ctaids = Vec::with_capacity(grid.cluster_size as usize);
    let (mut stalled, mut idle_rounds) = (0u32, 0u32);
    let mut last_change = std::time::Instant::now();
    let mut exhausted = false;
    loop {
        if grid.fault.is_set() {
            break;
        }
        let stalled_long = stalled >= STALL_ROUNDS && last_change.elapsed() >= STALL_TIME;
        if !exhausted && (groups.is_empty() || (stalled_long && groups.len() < MAX_RESIDENT)) {
            match take() {
                Some(t) => {
                    ctaids_of(t, &mut ctaids);
                    let mut sc = spare.pop().unwrap_or_else(|| Box::new(init()));
                    let g = Group::new(grid, &mut *sc, &ctaids);
                    groups.push((g, sc));
                    stalled = 0;
                    last_change = std::time::Instant::now();
                }
                None => exhausted = true,
            }
        }
        if groups.is_empty() {
            break;
        }
        let (mut progress, mut spun) = (false, false);
        for (g, _) in groups.iter_mut() {
            let r = g.round(grid);
            progress |= r.progress;
            spun |= r.spun;
        }
        // Finished groups go; their scratch is kept for the next task.
        let mut i = 0;
        while i < groups.len() {
            if groups[i].0.finished() {
                let (g, sc) = groups.swap_remove(i);
                drop(g);
                spare.push(sc);
                progress = true;
            } else {
                i += 1;
            }
        }
        if progress {
            last_change = std::time::Instant::now();
        }
        stalled = if spun && !progress { stalled + 1 } else { 0 };
        if settle(&Round { progress, spun }, !groups.is_empty(), &mut idle_rounds) {
            for (g, _) in &groups {
                g.raise_deadlock(grid);
            }
            break;
        }
    }
    // (groups drop before their scratch: each tuple drops its group first)
}

/// The fault a trapped coroutine reports: a bad address, or a panic in a run-time helper
/// (reported as a failed launch, `CUDA_ERROR_LAUNCH_FAILED`).
fn trapped_fault(t: Trapped, ctaid: [u32; 3], grid: &Grid, scratch: &Scratch) -> (FaultKind, String) {
    let past = scratch.shared.past_end(t.addr as u64);
    match t.panic {
        Some(msg) => (FaultKind::Trap, format!("{msg} (block ({}, {}, {}))", ctaid[0], ctaid[1], ctaid[2])),
        None if t.addr.wrapping_sub(no_grid_workspace()) < 4096 => (
            FaultKind::IllegalAddress,
            format!(
                "grid barrier (cooperative_groups this_grid().sync()) in block ({}, {}, {}) of a launch that is not cooperative: \
                 launch it with cudaLaunchCooperativeKernel",
                ctaid[0], ctaid[1], ctaid[2]
            ),
        ),
        None if past.is_some() => {
            let (window, past) = past.unwrap();
            let window_end = |kind: FaultKind, whose: String| {
                (
                    kind,
                    format!(
                        "shared memory access past {whose} in block ({}, {}, {}): shared address {:#x}, the window (0x400 \
                         reserved + static + dynamic bytes, rounded up to 128) ends at {:#x}",
                        ctaid[0],
                        ctaid[1],
                        ctaid[2],
                        grid.shared_window as u64 + past,
                        grid.shared_window
                    ),
                )
            };
            // Past another CTA's window of the cluster (distributed shared memory, through a
            // shared::cluster address or a generic one): an H100 reports a launch failure
            // there, not an illegal address (tests/programs/cluster_bounds.cu).
            match scratch.ctxs.iter().find(|c| c.shared == scratch.shared.window_ptr(window)) {
                Some(c) if c.ctaid != ctaid => window_end(
                    FaultKind::Trap,
                    format!("the window of block ({}, {}, {}), cluster rank {},", c.ctaid[0], c.ctaid[1], c.ctaid[2], c.cluster_rank),
                ),
                _ => window_end(FaultKind::IllegalAddress, "the CTA's window".into()),
            }
        }
        None => (
            FaultKind::IllegalAddress,
            format!("illegal memory access at address {:#x} in block ({}, {}, {})", t.addr, ctaid[0], ctaid[1], ctaid[2]),
        ),
    }
}

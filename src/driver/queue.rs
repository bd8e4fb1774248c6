//! Work queues: what makes streams asynchronous. Each stream (and each context's legacy
//! default stream, and each thread's per-thread default stream) owns a [`Queue`] served by one
//! worker thread, started at the first item and stopped when the stream is destroyed. Items
//! run in order; an item may first wait for other queues to reach a position (cross-stream
//! event waits, the legacy stream's implicit synchronization). Positions are sequence numbers:
//! `submitted` counts pushed items, `completed` the ones that have run.

use std::collections::VecDeque;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::{Arc, Condvar, Mutex, MutexGuard, Weak};

pub type Work = Box<dyn FnOnce() + Send>;

struct Item {
    seq: u64,
    waits: Vec<(Arc<Queue>, u64)>,
    work: Option<Work>,
    stop: bool,
}

#[derive(Default)]
struct State {
    items: VecDeque<Item>,
    submitted: u64,
    completed: u64,
    worker: bool,
}

pub struct Queue {
    /// Owning context handle.
    pub ctx: usize,
    /// Synchronizes with the legacy stream (blocking streams and per-thread default streams).
    pub blocking: bool,
    /// This is a context's legacy default stream.
    pub legacy: bool,
    state: Mutex<State>,
    cv: Condvar,
}

impl Queue {
    pub fn new(ctx: usize, blocking: bool, legacy: bool) -> Arc<Queue> {
        let q = Arc::new(Queue { ctx, blocking, legacy, state: Mutex::new(State::default()), cv: Condvar::new() });
        registry().push(Arc::downgrade(&q));
        q
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Position of the last pushed item.
    pub fn tail(&self) -> u64 {
        self.lock().submitted
    }

    pub fn is_done(&self, seq: u64) -> bool {
        self.lock().completed >= seq
    }

    pub fn idle(&self) -> bool {
        let s = self.lock();
        s.completed == s.submitted
    }

    /// Blocks until the item at `seq` (and everything before it) has run.
    pub fn wait_for(&self, seq: u64) {
        let mut s = self.lock();
        while s.completed < seq {
            s = self.cv.wait(s).unwrap_or_else(|e| e.into_inner());
        }
    }

    pub fn drain(&self) {
        let t = self.tail();
        self.wait_for(t);
    }

    /// Appends `work`, to run after `waits` are reached; returns its position.
    pub fn push(self: &Arc<Self>, waits: Vec<(Arc<Queue>, u64)>, work: Work) -> u64 {
        self.push_item(waits, Some(work), false)
    }

    /// Lets the worker finish what is queued, then exit (stream destroyed).
    pub fn stop(self: &Arc<Self>) {
        self.push_item(Vec::new(), None, true);
    }

    fn push_item(self: &Arc<Self>, waits: Vec<(Arc<Queue>, u64)>, work: Option<Work>, stop: bool) -> u64 {
        let mut s = self.lock();
        if stop && !s.worker {
            return s.submitted;
        }
        s.submitted += 1;
        let seq = s.submitted;
        s.items.push_back(Item { seq, waits, work, stop });
        if !s.worker {
            s.worker = true;
            let q = self.clone();
            let spawned = std::thread::Builder::new().name("cuemu-stream".into()).spawn(move || q.serve());
            if spawned.is_err() {
                // No thread: run everything queued right here.
                s.worker = false;
                drop(s);
                self.run_inline();
                return seq;
            }
        }
        drop(s);
        self.cv.notify_all();
        seq
    }

    fn run_inline(self: &Arc<Self>) {
        loop {
            let item = {
                let mut s = self.lock();
                match s.items.pop_front() {
                    Some(i) => i,
                    None => return,
                }
            };
            self.run_item(item);
        }
    }

    fn run_item(&self, item: Item) {
        for (q, seq) in &item.waits {
            q.wait_for(*seq);
        }
        if let Some(w) = item.work {
            if catch_unwind(AssertUnwindSafe(w)).is_err() {
                tracing::error!("stream work item panicked");
            }
        }
        let mut s = self.lock();
        s.completed = item.seq;
        drop(s);
        self.cv.notify_all();
    }

    fn serve(self: Arc<Self>) {
        loop {
            let item = {
                let mut s = self.lock();
                loop {
                    if let Some(i) = s.items.pop_front() {
                        break i;
                    }
                    s = self.cv.wait(s).unwrap_or_else(|e| e.into_inner());
                }
            };
            let stop = item.stop;
            self.run_item(item);
            if stop {
                let mut s = self.lock();
                s.worker = false;
                return;
            }
        }
    }
}

fn registry() -> MutexGuard<'static, Vec<Weak<Queue>>> {
    static R: std::sync::OnceLock<Mutex<Vec<Weak<Queue>>>> = std::sync::OnceLock::new();
    let mut r = R.get_or_init(Default::default).lock().unwrap_or_else(|e| e.into_inner());
    if r.len() > 64 {
        r.retain(|w| w.strong_count() > 0);
    }
    r
}

/// Every live queue of context `ctx`.
pub fn of_context(ctx: usize) -> Vec<Arc<Queue>> {
    registry().iter().filter_map(|w| w.upgrade()).filter(|q| q.ctx == ctx).collect()
}

/// Waits until every queue of `ctx` has run what was pushed so far.
pub fn drain_context(ctx: usize) {
    for q in of_context(ctx) {
        q.drain();
    }
}

/// Waits for every queue of every context (module unload, VMM unmap: anything may use them).
pub fn drain_all() {
    let all: Vec<Arc<Queue>> = registry().iter().filter_map(|w| w.upgrade()).collect();
    for q in all {
        q.drain();
    }
}

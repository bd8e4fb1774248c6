//! `cuemu info -- PROGRAM`: the device table, then the program's own output, then the report of
//! the streams, graphs, pools and VMM reservations it created (src/driver/report.rs). The
//! program is tests/programs/graph_capture.cu built with nvcc's defaults; the assertions follow
//! what that program does (two non-blocking streams made first, 8 kernels captured and the
//! graph replayed 200 times, an explicitly built graph cloned, ...). Skipped, with the reason
//! printed, when nvcc is not installed.

use std::path::{Path, PathBuf};
use std::process::Command;

fn find_nvcc() -> Option<PathBuf> {
    let mut dirs: Vec<PathBuf> = Vec::new();
    if let Some(home) = std::env::var_os("CUEMU_CUDA_HOME") {
        dirs.push(PathBuf::from(home).join("bin"));
    }
    if let Some(path) = std::env::var_os("PATH") {
        dirs.extend(std::env::split_paths(&path));
    }
    if let Some(home) = std::env::var_os("HOME") {
        dirs.push(PathBuf::from(home).join(".cache/cuemu/cuda/bin"));
    }
    dirs.into_iter().map(|d| d.join("nvcc")).find(|p| p.is_file())
}

/// graph_capture built into the test's temporary directory (rebuilt when the source is newer).
/// Built once per test process: the two tests run on parallel threads, and a second nvcc
/// rewriting the binary while the first test executes it fails that exec with ETXTBSY ("Text
/// file busy"). nvcc writes a private name that is renamed into place, so a concurrently
/// running test process never executes a half-written file either.
fn graph_capture_binary() -> Option<PathBuf> {
    static BUILT: std::sync::OnceLock<Option<PathBuf>> = std::sync::OnceLock::new();
    BUILT.get_or_init(build_graph_capture).clone()
}

fn build_graph_capture() -> Option<PathBuf> {
    let Some(nvcc) = find_nvcc() else {
        eprintln!("SKIPPED cli_info: nvcc not found (run scripts/setup.sh and source ~/.cache/cuemu/env.sh)");
        return None;
    };
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/programs/graph_capture.cu");
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("cli-info");
    std::fs::create_dir_all(&dir).unwrap();
    let bin = dir.join("graph_capture");
    let fresh = |p: &Path| p.metadata().and_then(|m| m.modified()).ok();
    if fresh(&bin).is_none() || fresh(&bin) < fresh(&src) {
        let tmp = dir.join(format!("graph_capture.tmp.{}", std::process::id()));
        let out = Command::new(&nvcc).arg("-o").arg(&tmp).arg(&src).output().expect("run nvcc");
        assert!(out.status.success(), "nvcc failed: {}", String::from_utf8_lossy(&out.stderr));
        std::fs::rename(&tmp, &bin).unwrap();
    }
    Some(bin)
}

#[test]
fn info_runs_a_program_and_reports_its_streams_and_graphs() {
    let Some(bin) = graph_capture_binary() else { return };
    let out = Command::new(env!("CARGO_BIN_EXE_cuemu"))
        .args(["info", "--"])
        .arg(&bin)
        .env_remove("CUEMU_REPORT")
        .output()
        .expect("run cuemu info");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "cuemu info -- graph_capture failed ({}):\n{stdout}\n{}", out.status, String::from_utf8_lossy(&out.stderr));
    // The device table first, then the program's output, then the report.
    let device = stdout.find("Device 0:").expect("device table");
    let program_end = stdout.rfind("\nPASS\n").expect("graph_capture's final PASS");
    let report = stdout.find("cuemu report: pid").expect("report");
    assert!(device < program_end && program_end < report, "order of sections:\n{stdout}");
    assert!(!stdout.contains("FAIL"), "{stdout}");
    let report = &stdout[report..];

    // Two non-blocking streams made first (ids 3 and 4), both destroyed at the end, the first
    // carrying the replays of the first captured pipeline.
    let lines: Vec<&str> = report.lines().collect();
    let streams = lines.iter().find(|l| l.starts_with("Streams:")).expect("Streams line");
    let created: usize = streams.split_whitespace().nth(1).unwrap().parse().unwrap();
    assert!(created >= 2, "{streams}");
    let s3 = lines.iter().find(|l| l.contains(" id 3: ")).expect("stream id 3");
    assert!(s3.contains("non-blocking") && s3.contains("destroyed"), "{s3}");
    let work: u64 = s3.split(", ").find(|p| p.ends_with("work item(s)")).unwrap().split_whitespace().next().unwrap().parse().unwrap();
    assert!(work >= 200, "stream 3 ran the 200 replays (and more): {s3}");

    // 8 captured kernels replayed 200 times.
    assert!(
        lines.iter().any(|l| l.contains("(captured): 8 nodes (kernel 8); instantiated 1x, launched 200x")),
        "captured graph of 8 kernels launched 200x:\n{report}"
    );
    // The explicitly built graph and its clone, with the node types the program adds.
    let built = lines.iter().find(|l| l.contains("(built):")).expect("built graph");
    for t in ["kernel 2", "memset 1", "host 1", "graph 1", "empty 1", "event_record 1"] {
        assert!(built.contains(t), "built graph has {t}: {built}");
    }
    assert!(lines.iter().any(|l| l.contains("(cloned):")), "{report}");
    // Totals agree with the per-graph lines.
    let graphs = lines.iter().find(|l| l.starts_with("Graphs:")).expect("Graphs line");
    let total_launches: u64 = graphs.rsplit("; ").next().unwrap().split(", ").nth(1).unwrap().split_whitespace().next().unwrap().parse().unwrap();
    let per_graph: u64 = lines
        .iter()
        .filter(|l| l.trim_start().starts_with("graph "))
        .map(|l| l.rsplit("launched ").next().unwrap().split('x').next().unwrap().parse::<u64>().unwrap())
        .sum();
    assert_eq!(total_launches, per_graph, "{report}");
    assert!(graphs.contains("failed"), "the program's invalidated captures are counted: {graphs}");
}

#[test]
fn report_goes_to_the_file_cuemu_report_names() {
    let Some(bin) = graph_capture_binary() else { return };
    let lib = Path::new(env!("CARGO_BIN_EXE_cuemu")).parent().unwrap().to_path_buf();
    let path = Path::new(env!("CARGO_TARGET_TMPDIR")).join("cli-info").join("report.txt");
    let _ = std::fs::remove_file(&path);
    let out = Command::new(&bin).env("LD_LIBRARY_PATH", &lib).env("CUEMU_REPORT", &path).output().expect("run graph_capture");
    assert!(out.status.success());
    let text = std::fs::read_to_string(&path).expect("CUEMU_REPORT file written at exit");
    assert!(text.starts_with("cuemu report: pid "), "{text}");
    assert!(text.contains("launched 200x"), "{text}");
    // Nothing of it on the program's stdout.
    assert!(!String::from_utf8_lossy(&out.stdout).contains("cuemu report"));

    // Through `cuemu run`, the CLI's own exit does not overwrite the program's report.
    let _ = std::fs::remove_file(&path);
    let out = Command::new(env!("CARGO_BIN_EXE_cuemu")).args(["run", "--"]).arg(&bin).env("CUEMU_REPORT", &path).output().expect("run cuemu run");
    assert!(out.status.success());
    let text = std::fs::read_to_string(&path).expect("CUEMU_REPORT file written at exit");
    assert!(text.contains("launched 200x"), "{text}");
}

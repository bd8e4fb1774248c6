//! Thread-block clusters (clusters.ptx): special registers, the cluster barrier, distributed
//! shared memory. Expected values come from the cluster geometry of PTX ISA 5.2.3.

use super::*;

const PTX: &str = include_str!("clusters.ptx");

fn run(m: &Arc<ModuleImage>, k: &str, grid: [u32; 3], block: u32, cluster: Option<[u32; 3]>, out: &mut [u32]) -> Result<(), LaunchError> {
    let args = (out.as_mut_ptr() as u64).to_ne_bytes();
    let cfg = LaunchConfig { grid, block: [block, 1, 1], dynamic_shared_bytes: 0 };
    match cluster {
        Some(dim) => m.launch_in_clusters(k, cfg, ClusterShape { dim, explicit: true, cooperative: false }, &args),
        None => m.launch(k, cfg, &args),
    }
}

#[test]
fn special_registers_follow_the_cluster_shape() {
    let m = ModuleImage::load_ptx(PTX).unwrap();
    for (grid, cluster) in [([4, 1, 1], None), ([8, 1, 1], Some([2, 1, 1])), ([8, 1, 1], Some([4, 1, 1])), ([4, 4, 1], Some([2, 2, 1])), ([2, 1, 1], Some([1, 1, 1]))] {
        let n = (grid[0] * grid[1]) as usize;
        let mut out = vec![u32::MAX; n * 8];
        run(&m, "regs", grid, 64, cluster, &mut out).unwrap();
        let d = cluster.unwrap_or([1, 1, 1]);
        for y in 0..grid[1] {
            for x in 0..grid[0] {
                let b = (y * grid[0] + x) as usize;
                let rank = x % d[0] + (y % d[1]) * d[0];
                let want = [
                    x / d[0],
                    x % d[0],
                    rank,
                    d[0] * d[1] * d[2],
                    grid[0] / d[0],
                    d[0],
                    cluster.is_some() as u32,
                    (y / d[1]) * 256 + y % d[1],
                ];
                assert_eq!(&out[b * 8..b * 8 + 8], &want, "grid {grid:?} cluster {cluster:?} block ({x}, {y})");
            }
        }
    }
}

#[test]
fn compiled_cluster_shape_applies_to_a_plain_launch() {
    let m = ModuleImage::load_ptx(PTX).unwrap();
    let info = m.kernel("regs_fixed").unwrap();
    assert_eq!(info.required_cluster, Some([2, 1, 1]));
    assert!(info.explicit_cluster);
    assert_eq!(m.kernel("regs").unwrap().required_cluster, None);
    let mut out = vec![u32::MAX; 6 * 8];
    run(&m, "regs_fixed", [6, 1, 1], 32, None, &mut out).unwrap();
    for b in 0..6u32 {
        let o = &out[b as usize * 8..b as usize * 8 + 7];
        assert_eq!(o, &[b / 2, b % 2, b % 2, 2, 3, 2, 1], "block {b}");
    }
}

#[test]
fn distributed_shared_memory_after_the_cluster_barrier() {
    let m = ModuleImage::load_ptx(PTX).unwrap();
    for csize in [1u32, 2, 4, 8, 16] {
        let grid = 16u32;
        let mut out = vec![u32::MAX; grid as usize * 4 * 8];
        run(&m, "exchange", [grid, 1, 1], 128, Some([csize, 1, 1]), &mut out).unwrap();
        for b in 0..grid {
            let rank = b % csize;
            let peer = (rank + 1) % csize;
            for w in 0..4u32 {
                let o = &out[((b * 4 + w) * 8) as usize..((b * 4 + w) * 8 + 5) as usize];
                let v = 100 + peer + 1000 * w;
                // the peer's window is the own one for a cluster of one
                let spaces = 0b0101 | if csize == 1 { 0b1010 } else { 0b1000 };
                assert_eq!(o, &[v, v, peer, spaces, 1], "cluster {csize} block {b} word {w}");
            }
        }
    }
}

#[test]
fn red_shared_cluster_into_rank_zero() {
    let m = ModuleImage::load_ptx(PTX).unwrap();
    for csize in [2u32, 4, 8] {
        let mut out = vec![0u32; 16 / csize as usize];
        run(&m, "count", [16, 1, 1], 96, Some([csize, 1, 1]), &mut out).unwrap();
        assert!(out.iter().all(|&c| c == 96 * csize), "cluster {csize}: {out:?}");
    }
}

#[test]
fn cluster_shapes_that_do_not_fit_the_grid_are_refused() {
    let m = ModuleImage::load_ptx(PTX).unwrap();
    let mut out = vec![0u32; 64];
    for (grid, cluster) in [([6, 1, 1], [4, 1, 1]), ([4, 1, 1], [0, 1, 1]), ([32, 1, 1], [32, 1, 1])] {
        let r = run(&m, "regs", grid, 32, Some(cluster), &mut out);
        assert!(matches!(r, Err(LaunchError::InvalidConfig(_))), "grid {grid:?} cluster {cluster:?}: {r:?}");
    }
}

#[test]
fn remote_mbarrier_arrive_and_cta_to_cta_bulk_copy() {
    let m = ModuleImage::load_ptx(PTX).unwrap();
    for csize in [2u32, 4] {
        let grid = 8u32;
        let mut out = vec![0u32; grid as usize * 6];
        run(&m, "remote", [grid, 1, 1], 64, Some([csize, 1, 1]), &mut out).unwrap();
        for b in 0..grid {
            let pred = (b % csize + csize - 1) % csize;
            let want = [pred * 100, pred * 100 + 1, pred * 100 + 2, pred * 100 + 3, 1, 1];
            assert_eq!(&out[(b * 6) as usize..(b * 6 + 6) as usize], &want, "cluster {csize} block {b}");
        }
    }
}

#[test]
fn a_cluster_barrier_that_cannot_complete_is_a_deadlock() {
    let m = ModuleImage::load_ptx(PTX).unwrap();
    let mut out = vec![0u32; 1];
    let r = run(&m, "stuck", [2, 1, 1], 32, Some([2, 1, 1]), &mut out);
    match r {
        Err(LaunchError::Deadlock(msg)) => assert!(msg.contains("cluster"), "{msg}"),
        other => panic!("expected a deadlock, got {other:?}"),
    }
}

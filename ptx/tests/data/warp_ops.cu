// Warp-level primitives: shuffles (all four flavours), ballot, vote, lane masks.
extern "C" __global__ void warp_ops(const int *in, int *out, unsigned *ballots) {
    int lane = threadIdx.x % 32;
    int v = in[blockIdx.x * blockDim.x + threadIdx.x];
    int sum = v;
    for (int off = 16; off > 0; off /= 2) sum += __shfl_down_sync(0xffffffffu, sum, off);
    int up = __shfl_up_sync(0xffffffffu, v, 1);
    int x = __shfl_xor_sync(0xffffffffu, v, 3);
    int first = __shfl_sync(0xffffffffu, v, 0);
    unsigned b = __ballot_sync(0xffffffffu, v > 0);
    int all = __all_sync(0xffffffffu, v != 0);
    int any = __any_sync(0xffffffffu, v < 0);
    unsigned active = __activemask();
    if (lane == 0) ballots[blockIdx.x * blockDim.x / 32 + threadIdx.x / 32] = b ^ active;
    out[blockIdx.x * blockDim.x + threadIdx.x] = sum + up + x + first + all + any + __popc(b);
}

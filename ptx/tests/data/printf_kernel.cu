// Device-side printf: vprintf declaration, a .global string constant, a call block.
#include <cstdio>

extern "C" __global__ void hello(int x, double y) {
    printf("hello from %d/%d: x=%d y=%f\n", blockIdx.x, threadIdx.x, x, y);
}

/* The CUDA 12.x handshake: dlopen NVIDIA's libcudart.so.12 (path in argv[1]) against cuemu's
 * libcuda.so.1 and do device count + malloc + memcpy round trip. Prints "cudart12 OK". */
#include <dlfcn.h>
#include <stdio.h>
#include <string.h>

typedef int (*count_fn)(int *);
typedef int (*malloc_fn)(void **, size_t);
typedef int (*free_fn)(void *);
typedef int (*memcpy_fn)(void *, const void *, size_t, int);
typedef int (*version_fn)(int *);
typedef const char *(*errstr_fn)(int);

int main(int argc, char **argv) {
    if (argc < 2) {
        fprintf(stderr, "usage: %s /path/to/libcudart.so.12\n", argv[0]);
        return 2;
    }
    void *rt = dlopen(argv[1], RTLD_NOW | RTLD_LOCAL);
    if (!rt) {
        fprintf(stderr, "dlopen: %s\n", dlerror());
        return 2;
    }
    count_fn count = (count_fn)dlsym(rt, "cudaGetDeviceCount");
    malloc_fn dmalloc = (malloc_fn)dlsym(rt, "cudaMalloc");
    free_fn dfree = (free_fn)dlsym(rt, "cudaFree");
    memcpy_fn dmemcpy = (memcpy_fn)dlsym(rt, "cudaMemcpy");
    version_fn rtver = (version_fn)dlsym(rt, "cudaRuntimeGetVersion");
    errstr_fn errstr = (errstr_fn)dlsym(rt, "cudaGetErrorString");
    int n = 0, v = 0, e;
    rtver(&v);
    if ((e = count(&n)) != 0 || n < 1) {
        fprintf(stderr, "cudaGetDeviceCount -> %d (%s), n=%d\n", e, errstr(e), n);
        return 1;
    }
    char src[256], dst[256];
    for (int i = 0; i < 256; i++) src[i] = (char)i;
    memset(dst, 0, sizeof dst);
    void *d = NULL;
    if ((e = dmalloc(&d, 256)) != 0) {
        fprintf(stderr, "cudaMalloc -> %d (%s)\n", e, errstr(e));
        return 1;
    }
    if ((e = dmemcpy(d, src, 256, 1)) != 0 || (e = dmemcpy(dst, d, 256, 2)) != 0) {
        fprintf(stderr, "cudaMemcpy -> %d (%s)\n", e, errstr(e));
        return 1;
    }
    if (memcmp(src, dst, 256) != 0) {
        fprintf(stderr, "round trip mismatch\n");
        return 1;
    }
    if ((e = dfree(d)) != 0) {
        fprintf(stderr, "cudaFree -> %d\n", e);
        return 1;
    }
    printf("cudart12 OK (runtime %d, %d device(s))\n", v, n);
    return 0;
}

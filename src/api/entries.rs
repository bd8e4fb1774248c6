//! THE list of implemented driver entry points: exported symbol(s), C signature, driver
//! function. Per-thread-stream variants (`_ptds`/`_ptsz`) share the implementation: work
//! runs at enqueue time, so the per-thread default stream behaves like the legacy one.
//! build.rs reads this text (names before `(`) to generate NOT_SUPPORTED stubs for every
//! other entry point of `api-list.tsv`; a name here that is not in that list fails the build.
//!
//! Signatures follow CUDA 13.5's cuda.h (`unsigned int` → c_uint, `size_t` → usize,
//! `CUdeviceptr` → u64, `cuuint64_t` → u64, enums → c_int/c_uint).

#![allow(non_snake_case)]

use super::types::*;
use super::CUresult;
use crate::api::{errors, export_tables, proc_address};
use crate::driver::pool::{self, CUmemoryPool, CUmemPoolProps};
use crate::driver::array::{self, CUDA_ARRAY3D_DESCRIPTOR, CUDA_ARRAY3D_DESCRIPTOR_v1, CUDA_ARRAY_DESCRIPTOR, CUDA_ARRAY_DESCRIPTOR_v1};
use crate::driver::graphmem::{self, CUDA_MEM_ALLOC_NODE_PARAMS};
use crate::driver::link::{self, CUlinkState};
use crate::driver::memops::{self, CUstreamBatchMemOpParams, CUDA_BATCH_MEM_OP_NODE_PARAMS};
use crate::driver::{self, context, device, event, graph, graphparams, launch, managed, memory, module, stream, tensormap, userobj, vmm};
use crate::driver::graphparams::CUgraphNodeParams;
use crate::driver::userobj::CUuserObject;
use crate::driver::memcpy_batch::{self, CUmemcpyAttributes, CUDA_MEMCPY3D_BATCH_OP};
use std::ffi::{c_char, c_int, c_uint, c_void};
use crate::driver::texture::{self, CUDA_RESOURCE_DESC, CUDA_RESOURCE_VIEW_DESC, CUDA_TEXTURE_DESC};

crate::entries! {
    // ---- initialization, version, entry-point lookup, errors ----
    cuInit(flags: c_uint) => driver::init;
    cuDriverGetVersion(version: *mut c_int) => driver::driver_get_version;
    cuGetProcAddress(symbol: *const c_char, pfn: *mut *mut c_void, cudaVersion: c_int, flags: u64) => proc_address::get_proc_address;
    cuGetProcAddress_v2 | cuGetProcAddress_v2_ptsz(symbol: *const c_char, pfn: *mut *mut c_void, cudaVersion: c_int, flags: u64, symbolStatus: *mut c_int) => proc_address::get_proc_address_v2;
    cuGetExportTable(ppExportTable: *mut *const c_void, pExportTableId: *const CUuuid) => export_tables::get_export_table;
    cuGetErrorName(error: CUresult, pStr: *mut *const c_char) => errors::get_error_name;
    cuGetErrorString(error: CUresult, pStr: *mut *const c_char) => errors::get_error_string;
    cuProfilerStart() => driver::profiler_noop;
    cuProfilerStop() => driver::profiler_noop;

    // ---- devices ----
    cuDeviceGet(device: *mut CUdevice, ordinal: c_int) => device::device_get;
    cuDeviceGetCount(count: *mut c_int) => device::get_count;
    cuDeviceGetName(name: *mut c_char, len: c_int, dev: CUdevice) => device::get_name;
    cuDeviceGetUuid | cuDeviceGetUuid_v2(uuid: *mut CUuuid, dev: CUdevice) => device::get_uuid;
    cuDeviceGetLuid(luid: *mut c_char, deviceNodeMask: *mut c_uint, dev: CUdevice) => device::get_luid;
    cuDeviceTotalMem(bytes: *mut c_uint, dev: CUdevice) => device::total_mem_v1;
    cuDeviceTotalMem_v2(bytes: *mut usize, dev: CUdevice) => device::total_mem;
    cuDeviceGetAttribute(pi: *mut c_int, attrib: c_int, dev: CUdevice) => device::get_attribute;
    cuDeviceGetProperties(prop: *mut CUdevprop, dev: CUdevice) => device::get_properties;
    cuDeviceComputeCapability(major: *mut c_int, minor: *mut c_int, dev: CUdevice) => device::compute_capability;
    cuDeviceGetPCIBusId(pciBusId: *mut c_char, len: c_int, dev: CUdevice) => device::get_pci_bus_id;
    cuDeviceGetByPCIBusId(dev: *mut CUdevice, pciBusId: *const c_char) => device::get_by_pci_bus_id;
    cuDeviceCanAccessPeer(canAccessPeer: *mut c_int, dev: CUdevice, peerDev: CUdevice) => device::can_access_peer;
    cuDeviceGetP2PAttribute(value: *mut c_int, attrib: c_uint, srcDevice: CUdevice, dstDevice: CUdevice) => device::get_p2p_attribute;

    // ---- primary contexts ----
    cuDevicePrimaryCtxRetain(pctx: *mut CUcontext, dev: CUdevice) => context::primary_retain;
    cuDevicePrimaryCtxRelease | cuDevicePrimaryCtxRelease_v2(dev: CUdevice) => context::primary_release;
    cuDevicePrimaryCtxReset | cuDevicePrimaryCtxReset_v2(dev: CUdevice) => context::primary_reset;
    cuDevicePrimaryCtxGetState(dev: CUdevice, flags: *mut c_uint, active: *mut c_int) => context::primary_get_state;
    cuDevicePrimaryCtxSetFlags | cuDevicePrimaryCtxSetFlags_v2(dev: CUdevice, flags: c_uint) => context::primary_set_flags;

    // ---- contexts ----
    cuCtxCreate_v2(pctx: *mut CUcontext, flags: c_uint, dev: CUdevice) => context::create;
    cuCtxCreate_v3(pctx: *mut CUcontext, paramsArray: *mut c_void, numParams: c_int, flags: c_uint, dev: CUdevice) => context::create_v3;
    cuCtxCreate_v4(pctx: *mut CUcontext, ctxCreateParams: *mut c_void, flags: c_uint, dev: CUdevice) => context::create_v4;
    cuCtxDestroy_v2(ctx: CUcontext) => context::destroy;
    cuCtxPushCurrent_v2(ctx: CUcontext) => context::push_current;
    cuCtxPopCurrent_v2(pctx: *mut CUcontext) => context::pop_current;
    cuCtxSetCurrent(ctx: CUcontext) => context::set_current;
    cuCtxGetCurrent(pctx: *mut CUcontext) => context::get_current;
    cuCtxGetDevice(device: *mut CUdevice) => context::get_device;
    cuCtxGetDevice_v2(device: *mut CUdevice, ctx: CUcontext) => context::get_device_v2;
    cuCtxGetFlags(flags: *mut c_uint) => context::get_flags;
    cuCtxSetFlags(flags: c_uint) => context::set_flags;
    cuCtxGetId(ctx: CUcontext, ctxId: *mut u64) => context::get_id;
    cuCtxSynchronize() => context::synchronize;
    cuCtxSynchronize_v2(ctx: CUcontext) => context::synchronize_v2;
    cuCtxSetLimit(limit: c_uint, value: usize) => context::set_limit;
    cuCtxGetLimit(pvalue: *mut usize, limit: c_uint) => context::get_limit;
    cuCtxGetCacheConfig(pconfig: *mut c_uint) => context::get_cache_config;
    cuCtxSetCacheConfig(config: c_uint) => context::set_cache_config;
    cuCtxGetSharedMemConfig(pConfig: *mut c_uint) => context::get_shared_mem_config;
    cuCtxSetSharedMemConfig(config: c_uint) => context::set_shared_mem_config;
    cuCtxGetApiVersion(ctx: CUcontext, version: *mut c_uint) => context::get_api_version;
    cuCtxGetStreamPriorityRange(leastPriority: *mut c_int, greatestPriority: *mut c_int) => context::get_stream_priority_range;
    cuCtxResetPersistingL2Cache() => context::reset_persisting_l2_cache;

    // ---- memory ----
    cuMemGetInfo_v2(free: *mut usize, total: *mut usize) => memory::get_info;
    cuMemAlloc_v2(dptr: *mut CUdeviceptr, bytesize: usize) => memory::alloc;
    cuMemAllocPitch_v2(dptr: *mut CUdeviceptr, pPitch: *mut usize, WidthInBytes: usize, Height: usize, ElementSizeBytes: c_uint) => memory::alloc_pitch;
    cuMemFree_v2(dptr: CUdeviceptr) => memory::free;
    cuMemAllocAsync | cuMemAllocAsync_ptsz(dptr: *mut CUdeviceptr, bytesize: usize, hStream: CUstream) => pool::alloc_async;
    cuMemAllocFromPoolAsync | cuMemAllocFromPoolAsync_ptsz(dptr: *mut CUdeviceptr, bytesize: usize, pool: CUmemoryPool, hStream: CUstream) => pool::alloc_from_pool_async;
    cuDeviceGetDefaultMemPool(pool_out: *mut CUmemoryPool, dev: CUdevice) => pool::device_get_default_mem_pool;
    cuDeviceGetMemPool(pool: *mut CUmemoryPool, dev: CUdevice) => pool::device_get_mem_pool;
    cuDeviceSetMemPool(dev: CUdevice, pool: CUmemoryPool) => pool::device_set_mem_pool;
    cuMemGetDefaultMemPool(pool_out: *mut CUmemoryPool, location: *mut CUmemLocation, r#type: c_uint) => pool::mem_get_default_mem_pool;
    cuMemGetMemPool(pool: *mut CUmemoryPool, location: *mut CUmemLocation, r#type: c_uint) => pool::mem_get_mem_pool;
    cuMemSetMemPool(location: *mut CUmemLocation, r#type: c_uint, pool: CUmemoryPool) => pool::mem_set_mem_pool;
    cuMemPoolCreate(pool: *mut CUmemoryPool, poolProps: *const CUmemPoolProps) => pool::create;
    cuMemPoolDestroy(pool: CUmemoryPool) => pool::destroy;
    cuMemPoolTrimTo(pool: CUmemoryPool, minBytesToKeep: usize) => pool::trim_to;
    cuMemPoolSetAttribute(pool: CUmemoryPool, attr: c_uint, value: *mut c_void) => pool::set_attribute;
    cuMemPoolGetAttribute(pool: CUmemoryPool, attr: c_uint, value: *mut c_void) => pool::get_attribute;
    cuMemPoolSetAccess(pool: CUmemoryPool, map: *const CUmemAccessDesc, count: usize) => pool::set_access;
    cuMemPoolGetAccess(flags: *mut c_uint, memPool: CUmemoryPool, location: *mut CUmemLocation) => pool::get_access;
    cuMemFreeAsync | cuMemFreeAsync_ptsz(dptr: CUdeviceptr, hStream: CUstream) => memory::free_async;
    cuMemGetAddressRange_v2(pbase: *mut CUdeviceptr, psize: *mut usize, dptr: CUdeviceptr) => memory::get_address_range;
    cuMemAllocHost_v2(pp: *mut *mut c_void, bytesize: usize) => memory::alloc_host;
    cuMemHostAlloc(pp: *mut *mut c_void, bytesize: usize, Flags: c_uint) => memory::host_alloc;
    cuMemFreeHost(p: *mut c_void) => memory::free_host;
    cuMemAllocManaged(dptr: *mut CUdeviceptr, bytesize: usize, flags: c_uint) => memory::alloc_managed;
    cuMemHostGetDevicePointer_v2(pdptr: *mut CUdeviceptr, p: *mut c_void, Flags: c_uint) => memory::host_get_device_pointer;
    cuMemHostGetFlags(pFlags: *mut c_uint, p: *mut c_void) => memory::host_get_flags;
    cuMemHostRegister_v2(p: *mut c_void, bytesize: usize, Flags: c_uint) => memory::host_register;
    cuMemHostUnregister(p: *mut c_void) => memory::host_unregister;
    cuMemcpy | cuMemcpy_ptds(dst: CUdeviceptr, src: CUdeviceptr, ByteCount: usize) => memory::memcpy;
    cuMemcpyAsync | cuMemcpyAsync_ptsz(dst: CUdeviceptr, src: CUdeviceptr, ByteCount: usize, hStream: CUstream) => memory::memcpy_async;
    cuMemcpyHtoD_v2 | cuMemcpyHtoD_v2_ptds(dstDevice: CUdeviceptr, srcHost: *const c_void, ByteCount: usize) => memory::memcpy_htod;
    cuMemcpyDtoH_v2 | cuMemcpyDtoH_v2_ptds(dstHost: *mut c_void, srcDevice: CUdeviceptr, ByteCount: usize) => memory::memcpy_dtoh;
    cuMemcpyDtoD_v2 | cuMemcpyDtoD_v2_ptds(dstDevice: CUdeviceptr, srcDevice: CUdeviceptr, ByteCount: usize) => memory::memcpy_dtod;
    cuMemcpyHtoDAsync_v2 | cuMemcpyHtoDAsync_v2_ptsz(dstDevice: CUdeviceptr, srcHost: *const c_void, ByteCount: usize, hStream: CUstream) => memory::memcpy_htod_async;
    cuMemcpyDtoHAsync_v2 | cuMemcpyDtoHAsync_v2_ptsz(dstHost: *mut c_void, srcDevice: CUdeviceptr, ByteCount: usize, hStream: CUstream) => memory::memcpy_dtoh_async;
    cuMemcpyDtoDAsync_v2 | cuMemcpyDtoDAsync_v2_ptsz(dstDevice: CUdeviceptr, srcDevice: CUdeviceptr, ByteCount: usize, hStream: CUstream) => memory::memcpy_dtod_async;
    cuMemcpyPeer | cuMemcpyPeer_ptds(dstDevice: CUdeviceptr, dstContext: CUcontext, srcDevice: CUdeviceptr, srcContext: CUcontext, ByteCount: usize) => memory::memcpy_peer;
    cuMemcpyPeerAsync | cuMemcpyPeerAsync_ptsz(dstDevice: CUdeviceptr, dstContext: CUcontext, srcDevice: CUdeviceptr, srcContext: CUcontext, ByteCount: usize, hStream: CUstream) => memory::memcpy_peer_async;
    cuMemcpy2D_v2 | cuMemcpy2D_v2_ptds | cuMemcpy2DUnaligned_v2 | cuMemcpy2DUnaligned_v2_ptds(pCopy: *const CUDA_MEMCPY2D) => memory::memcpy_2d;
    cuMemcpy2DAsync_v2 | cuMemcpy2DAsync_v2_ptsz(pCopy: *const CUDA_MEMCPY2D, hStream: CUstream) => memory::memcpy_2d_async;
    cuMemcpy3D_v2 | cuMemcpy3D_v2_ptds(pCopy: *const CUDA_MEMCPY3D) => memory::memcpy_3d;
    cuMemcpy3DAsync_v2 | cuMemcpy3DAsync_v2_ptsz(pCopy: *const CUDA_MEMCPY3D, hStream: CUstream) => memory::memcpy_3d_async;
    cuMemcpyBatchAsync | cuMemcpyBatchAsync_ptsz(dsts: *const CUdeviceptr, srcs: *const CUdeviceptr, sizes: *const usize, count: usize, attrs: *const CUmemcpyAttributes, attrsIdxs: *const usize, numAttrs: usize, failIdx: *mut usize, hStream: CUstream) => memcpy_batch::batch_v1;
    cuMemcpyBatchAsync_v2 | cuMemcpyBatchAsync_v2_ptsz(dsts: *const CUdeviceptr, srcs: *const CUdeviceptr, sizes: *const usize, count: usize, attrs: *const CUmemcpyAttributes, attrsIdxs: *const usize, numAttrs: usize, hStream: CUstream) => memcpy_batch::batch_v2;
    cuMemcpy3DBatchAsync | cuMemcpy3DBatchAsync_ptsz(numOps: usize, opList: *const CUDA_MEMCPY3D_BATCH_OP, failIdx: *mut usize, flags: u64, hStream: CUstream) => memcpy_batch::batch_3d_v1;
    cuMemcpy3DBatchAsync_v2 | cuMemcpy3DBatchAsync_v2_ptsz(numOps: usize, opList: *const CUDA_MEMCPY3D_BATCH_OP, flags: u64, hStream: CUstream) => memcpy_batch::batch_3d_v2;
    cuMemsetD8_v2 | cuMemsetD8_v2_ptds(dstDevice: CUdeviceptr, uc: u8, N: usize) => memory::memset_d8;
    cuMemsetD16_v2 | cuMemsetD16_v2_ptds(dstDevice: CUdeviceptr, us: u16, N: usize) => memory::memset_d16;
    cuMemsetD32_v2 | cuMemsetD32_v2_ptds(dstDevice: CUdeviceptr, ui: u32, N: usize) => memory::memset_d32;
    cuMemsetD8Async | cuMemsetD8Async_ptsz(dstDevice: CUdeviceptr, uc: u8, N: usize, hStream: CUstream) => memory::memset_d8_async;
    cuMemsetD16Async | cuMemsetD16Async_ptsz(dstDevice: CUdeviceptr, us: u16, N: usize, hStream: CUstream) => memory::memset_d16_async;
    cuMemsetD32Async | cuMemsetD32Async_ptsz(dstDevice: CUdeviceptr, ui: u32, N: usize, hStream: CUstream) => memory::memset_d32_async;
    cuMemsetD2D8_v2 | cuMemsetD2D8_v2_ptds(dstDevice: CUdeviceptr, dstPitch: usize, uc: u8, Width: usize, Height: usize) => memory::memset_d2d8;
    cuMemsetD2D16_v2 | cuMemsetD2D16_v2_ptds(dstDevice: CUdeviceptr, dstPitch: usize, us: u16, Width: usize, Height: usize) => memory::memset_d2d16;
    cuMemsetD2D32_v2 | cuMemsetD2D32_v2_ptds(dstDevice: CUdeviceptr, dstPitch: usize, ui: u32, Width: usize, Height: usize) => memory::memset_d2d32;
    cuMemsetD2D8Async | cuMemsetD2D8Async_ptsz(dstDevice: CUdeviceptr, dstPitch: usize, uc: u8, Width: usize, Height: usize, hStream: CUstream) => memory::memset_d2d8_async;
    cuMemsetD2D16Async | cuMemsetD2D16Async_ptsz(dstDevice: CUdeviceptr, dstPitch: usize, us: u16, Width: usize, Height: usize, hStream: CUstream) => memory::memset_d2d16_async;
    cuMemsetD2D32Async | cuMemsetD2D32Async_ptsz(dstDevice: CUdeviceptr, dstPitch: usize, ui: u32, Width: usize, Height: usize, hStream: CUstream) => memory::memset_d2d32_async;
    cuMemPrefetchAsync | cuMemPrefetchAsync_ptsz(devPtr: CUdeviceptr, count: usize, dstDevice: CUdevice, hStream: CUstream) => memory::prefetch_async;
    cuMemPrefetchAsync_v2 | cuMemPrefetchAsync_v2_ptsz(devPtr: CUdeviceptr, count: usize, location: CUmemLocation, flags: c_uint, hStream: CUstream) => memory::prefetch_async_v2;
    cuMemAdvise(devPtr: CUdeviceptr, count: usize, advice: c_uint, device: CUdevice) => memory::advise;
    cuMemAdvise_v2(devPtr: CUdeviceptr, count: usize, advice: c_uint, location: CUmemLocation) => memory::advise_v2;
    cuMemRangeGetAttribute(data: *mut c_void, dataSize: usize, attribute: c_uint, devPtr: CUdeviceptr, count: usize) => managed::range_get_attribute;
    cuMemRangeGetAttributes(data: *mut *mut c_void, dataSizes: *mut usize, attributes: *mut c_uint, numAttributes: usize, devPtr: CUdeviceptr, count: usize) => managed::range_get_attributes;
    cuMemPrefetchBatchAsync | cuMemPrefetchBatchAsync_ptsz(dptrs: *const CUdeviceptr, sizes: *const usize, count: usize, prefetchLocs: *const CUmemLocation, prefetchLocIdxs: *const usize, numPrefetchLocs: usize, flags: u64, hStream: CUstream) => managed::prefetch_batch_async;
    cuMemDiscardBatchAsync | cuMemDiscardBatchAsync_ptsz(dptrs: *const CUdeviceptr, sizes: *const usize, count: usize, flags: u64, hStream: CUstream) => managed::discard_batch_async;
    cuMemDiscardAndPrefetchBatchAsync | cuMemDiscardAndPrefetchBatchAsync_ptsz(dptrs: *const CUdeviceptr, sizes: *const usize, count: usize, prefetchLocs: *const CUmemLocation, prefetchLocIdxs: *const usize, numPrefetchLocs: usize, flags: u64, hStream: CUstream) => managed::discard_and_prefetch_batch_async;
    cuMemGetAllocationGranularity(granularity: *mut usize, prop: *const CUmemAllocationProp, option: c_uint) => vmm::get_allocation_granularity;
    cuMemAddressReserve(ptr: *mut CUdeviceptr, size: usize, alignment: usize, addr: CUdeviceptr, flags: u64) => vmm::address_reserve;
    cuMemAddressFree(ptr: CUdeviceptr, size: usize) => vmm::address_free;
    cuMemCreate(handle: *mut CUmemGenericAllocationHandle, size: usize, prop: *const CUmemAllocationProp, flags: u64) => vmm::create;
    cuMemRelease(handle: CUmemGenericAllocationHandle) => vmm::release;
    cuMemMap(ptr: CUdeviceptr, size: usize, offset: usize, handle: CUmemGenericAllocationHandle, flags: u64) => vmm::map;
    cuMemUnmap(ptr: CUdeviceptr, size: usize) => vmm::unmap;
    cuMemSetAccess(ptr: CUdeviceptr, size: usize, desc: *const CUmemAccessDesc, count: usize) => vmm::set_access;
    cuMemGetAccess(flags: *mut u64, location: *const CUmemLocation, ptr: CUdeviceptr) => vmm::get_access;
    cuMemExportToShareableHandle(shareableHandle: *mut c_void, handle: CUmemGenericAllocationHandle, handleType: c_uint, flags: u64) => vmm::export_to_shareable_handle;
    cuMemImportFromShareableHandle(handle: *mut CUmemGenericAllocationHandle, osHandle: *mut c_void, shHandleType: c_uint) => vmm::import_from_shareable_handle;
    cuMemGetAllocationPropertiesFromHandle(prop: *mut CUmemAllocationProp, handle: CUmemGenericAllocationHandle) => vmm::get_allocation_properties_from_handle;
    cuMemRetainAllocationHandle(handle: *mut CUmemGenericAllocationHandle, addr: *mut c_void) => vmm::retain_allocation_handle;
    cuArrayCreate(pHandle: *mut CUarray, pAllocateArray: *const CUDA_ARRAY_DESCRIPTOR_v1) => array::create_v1;
    cuArrayCreate_v2(pHandle: *mut CUarray, pAllocateArray: *const CUDA_ARRAY_DESCRIPTOR) => array::create_v2;
    cuArray3DCreate(pHandle: *mut CUarray, pAllocateArray: *const CUDA_ARRAY3D_DESCRIPTOR_v1) => array::create_3d_v1;
    cuArray3DCreate_v2(pHandle: *mut CUarray, pAllocateArray: *const CUDA_ARRAY3D_DESCRIPTOR) => array::create_3d_v2;
    cuArrayDestroy(hArray: CUarray) => array::destroy;
    cuMipmappedArrayCreate(pHandle: *mut *mut c_void, pMipmappedArrayDesc: *const CUDA_ARRAY3D_DESCRIPTOR, numMipmapLevels: c_uint) => array::mipmap_create;
    cuMipmappedArrayGetLevel(pLevelArray: *mut CUarray, hMipmappedArray: *mut c_void, level: c_uint) => array::mipmap_get_level;
    cuMipmappedArrayDestroy(hMipmappedArray: *mut c_void) => array::mipmap_destroy;
    cuArrayGetDescriptor(pArrayDescriptor: *mut CUDA_ARRAY_DESCRIPTOR_v1, hArray: CUarray) => array::get_descriptor_v1;
    cuArrayGetDescriptor_v2(pArrayDescriptor: *mut CUDA_ARRAY_DESCRIPTOR, hArray: CUarray) => array::get_descriptor_v2;
    cuArray3DGetDescriptor(pArrayDescriptor: *mut CUDA_ARRAY3D_DESCRIPTOR_v1, hArray: CUarray) => array::get_3d_descriptor_v1;
    cuArray3DGetDescriptor_v2(pArrayDescriptor: *mut CUDA_ARRAY3D_DESCRIPTOR, hArray: CUarray) => array::get_3d_descriptor_v2;
    cuMemcpyHtoA_v2 | cuMemcpyHtoA_v2_ptds(dstArray: CUarray, dstOffset: usize, srcHost: *const c_void, ByteCount: usize) => array::htoa;
    cuMemcpyAtoH_v2 | cuMemcpyAtoH_v2_ptds(dstHost: *mut c_void, srcArray: CUarray, srcOffset: usize, ByteCount: usize) => array::atoh;
    cuMemcpyDtoA_v2 | cuMemcpyDtoA_v2_ptds(dstArray: CUarray, dstOffset: usize, srcDevice: CUdeviceptr, ByteCount: usize) => array::dtoa;
    cuMemcpyAtoD_v2 | cuMemcpyAtoD_v2_ptds(dstDevice: CUdeviceptr, srcArray: CUarray, srcOffset: usize, ByteCount: usize) => array::atod;
    cuMemcpyAtoA_v2 | cuMemcpyAtoA_v2_ptds(dstArray: CUarray, dstOffset: usize, srcArray: CUarray, srcOffset: usize, ByteCount: usize) => array::atoa;
    cuMemcpyHtoAAsync_v2 | cuMemcpyHtoAAsync_v2_ptsz(dstArray: CUarray, dstOffset: usize, srcHost: *const c_void, ByteCount: usize, hStream: CUstream) => array::htoa_async;
    cuMemcpyAtoHAsync_v2 | cuMemcpyAtoHAsync_v2_ptsz(dstHost: *mut c_void, srcArray: CUarray, srcOffset: usize, ByteCount: usize, hStream: CUstream) => array::atoh_async;
    cuPointerGetAttribute(data: *mut c_void, attribute: c_uint, ptr: CUdeviceptr) => memory::pointer_get_attribute;
    cuPointerGetAttributes(numAttributes: c_uint, attributes: *mut c_uint, data: *mut *mut c_void, ptr: CUdeviceptr) => memory::pointer_get_attributes;

    // ---- streams ----
    cuStreamCreate(phStream: *mut CUstream, Flags: c_uint) => stream::create;
    cuStreamCreateWithPriority(phStream: *mut CUstream, flags: c_uint, priority: c_int) => stream::create_with_priority;
    cuStreamDestroy_v2(hStream: CUstream) => stream::destroy;
    cuStreamQuery | cuStreamQuery_ptsz(hStream: CUstream) => stream::query;
    cuStreamSynchronize | cuStreamSynchronize_ptsz(hStream: CUstream) => stream::synchronize;
    cuStreamWaitEvent | cuStreamWaitEvent_ptsz(hStream: CUstream, hEvent: CUevent, Flags: c_uint) => stream::wait_event;
    cuStreamAddCallback | cuStreamAddCallback_ptsz(hStream: CUstream, callback: CUstreamCallback, userData: *mut c_void, flags: c_uint) => stream::add_callback;
    cuLaunchHostFunc | cuLaunchHostFunc_ptsz(hStream: CUstream, func: CUhostFn, userData: *mut c_void) => stream::launch_host_func;
    cuLaunchHostFunc_v2 | cuLaunchHostFunc_v2_ptsz(hStream: CUstream, func: CUhostFn, userData: *mut c_void, syncMode: c_uint) => stream::launch_host_func_v2;
    cuStreamGetFlags | cuStreamGetFlags_ptsz(hStream: CUstream, flags: *mut c_uint) => stream::get_flags;
    cuStreamGetPriority | cuStreamGetPriority_ptsz(hStream: CUstream, priority: *mut c_int) => stream::get_priority;
    cuStreamGetCtx | cuStreamGetCtx_ptsz(hStream: CUstream, pctx: *mut CUcontext) => stream::get_ctx;
    cuStreamGetCtx_v2 | cuStreamGetCtx_v2_ptsz(hStream: CUstream, pCtx: *mut CUcontext, pGreenCtx: *mut CUgreenCtx) => stream::get_ctx_v2;
    cuStreamGetId | cuStreamGetId_ptsz(hStream: CUstream, streamId: *mut u64) => stream::get_id;
    cuStreamGetDevice | cuStreamGetDevice_ptsz(hStream: CUstream, device: *mut CUdevice) => stream::get_device;
    cuStreamIsCapturing | cuStreamIsCapturing_ptsz(hStream: CUstream, captureStatus: *mut c_uint) => stream::is_capturing;
    cuStreamGetCaptureInfo | cuStreamGetCaptureInfo_ptsz(hStream: CUstream, captureStatus: *mut c_uint, id: *mut u64) => stream::get_capture_info;
    cuStreamGetCaptureInfo_v2 | cuStreamGetCaptureInfo_v2_ptsz(hStream: CUstream, captureStatus: *mut c_uint, id: *mut u64, graph: *mut CUgraph, dependencies: *mut *const CUgraphNode, numDependencies: *mut usize) => stream::get_capture_info_v2;
    cuStreamGetCaptureInfo_v3 | cuStreamGetCaptureInfo_v3_ptsz(hStream: CUstream, captureStatus: *mut c_uint, id: *mut u64, graph: *mut CUgraph, dependencies: *mut *const CUgraphNode, edgeData: *mut *const c_void, numDependencies: *mut usize) => stream::get_capture_info_v3;
    cuThreadExchangeStreamCaptureMode(mode: *mut c_uint) => stream::thread_exchange_capture_mode;
    cuStreamBeginCapture | cuStreamBeginCapture_ptsz(hStream: CUstream) => stream::begin_capture_v1;
    cuStreamBeginCapture_v2 | cuStreamBeginCapture_v2_ptsz(hStream: CUstream, mode: c_uint) => stream::begin_capture_v2;
    cuStreamBeginCaptureToGraph | cuStreamBeginCaptureToGraph_ptsz(hStream: CUstream, hGraph: CUgraph, dependencies: *const CUgraphNode, dependencyData: *const c_void, numDependencies: usize, mode: c_uint) => stream::begin_capture_to_graph;
    cuStreamEndCapture | cuStreamEndCapture_ptsz(hStream: CUstream, phGraph: *mut CUgraph) => stream::end_capture;
    cuStreamUpdateCaptureDependencies | cuStreamUpdateCaptureDependencies_ptsz(hStream: CUstream, dependencies: *mut CUgraphNode, numDependencies: usize, flags: c_uint) => stream::update_capture_dependencies;
    cuStreamUpdateCaptureDependencies_v2 | cuStreamUpdateCaptureDependencies_v2_ptsz(hStream: CUstream, dependencies: *mut CUgraphNode, dependencyData: *const c_void, numDependencies: usize, flags: c_uint) => stream::update_capture_dependencies_v2;

    // ---- graphs ----
    cuGraphCreate(phGraph: *mut CUgraph, flags: c_uint) => graph::create;
    cuGraphDestroy(hGraph: CUgraph) => graph::destroy;
    cuGraphClone(phGraphClone: *mut CUgraph, originalGraph: CUgraph) => graph::clone;
    cuGraphNodeFindInClone(phNode: *mut CUgraphNode, hOriginalNode: CUgraphNode, hClonedGraph: CUgraph) => graph::node_find_in_clone;
    cuGraphGetId(hGraph: CUgraph, graphId: *mut c_uint) => graph::get_id;
    cuGraphAddKernelNode(phGraphNode: *mut CUgraphNode, hGraph: CUgraph, dependencies: *const CUgraphNode, numDependencies: usize, nodeParams: *const CUDA_KERNEL_NODE_PARAMS) => graph::add_kernel_node_v1;
    cuGraphAddKernelNode_v2(phGraphNode: *mut CUgraphNode, hGraph: CUgraph, dependencies: *const CUgraphNode, numDependencies: usize, nodeParams: *const CUDA_KERNEL_NODE_PARAMS) => graph::add_kernel_node;
    cuGraphAddMemcpyNode(phGraphNode: *mut CUgraphNode, hGraph: CUgraph, dependencies: *const CUgraphNode, numDependencies: usize, copyParams: *const CUDA_MEMCPY3D, ctx: CUcontext) => graph::add_memcpy_node;
    cuGraphAddMemsetNode(phGraphNode: *mut CUgraphNode, hGraph: CUgraph, dependencies: *const CUgraphNode, numDependencies: usize, memsetParams: *const CUDA_MEMSET_NODE_PARAMS, ctx: CUcontext) => graph::add_memset_node;
    cuGraphAddHostNode(phGraphNode: *mut CUgraphNode, hGraph: CUgraph, dependencies: *const CUgraphNode, numDependencies: usize, nodeParams: *const CUDA_HOST_NODE_PARAMS) => graph::add_host_node;
    cuGraphAddChildGraphNode(phGraphNode: *mut CUgraphNode, hGraph: CUgraph, dependencies: *const CUgraphNode, numDependencies: usize, childGraph: CUgraph) => graph::add_child_graph_node;
    cuGraphAddEmptyNode(phGraphNode: *mut CUgraphNode, hGraph: CUgraph, dependencies: *const CUgraphNode, numDependencies: usize) => graph::add_empty_node;
    cuGraphAddEventRecordNode(phGraphNode: *mut CUgraphNode, hGraph: CUgraph, dependencies: *const CUgraphNode, numDependencies: usize, event: CUevent) => graph::add_event_record_node;
    cuGraphAddEventWaitNode(phGraphNode: *mut CUgraphNode, hGraph: CUgraph, dependencies: *const CUgraphNode, numDependencies: usize, event: CUevent) => graph::add_event_wait_node;
    cuGraphDestroyNode(hNode: CUgraphNode) => graph::destroy_node;
    cuGraphNodeGetType(hNode: CUgraphNode, r#type: *mut c_uint) => graph::node_get_type;
    cuGraphNodeGetContainingGraph(hNode: CUgraphNode, phGraph: *mut CUgraph) => graph::node_get_containing_graph;
    cuGraphGetNodes(hGraph: CUgraph, nodes: *mut CUgraphNode, numNodes: *mut usize) => graph::get_nodes;
    cuGraphGetRootNodes(hGraph: CUgraph, rootNodes: *mut CUgraphNode, numRootNodes: *mut usize) => graph::get_root_nodes;
    cuGraphGetEdges(hGraph: CUgraph, from: *mut CUgraphNode, to: *mut CUgraphNode, numEdges: *mut usize) => graph::get_edges;
    cuGraphGetEdges_v2(hGraph: CUgraph, from: *mut CUgraphNode, to: *mut CUgraphNode, edgeData: *mut CUgraphEdgeData, numEdges: *mut usize) => graph::get_edges_v2;
    cuGraphNodeGetDependencies(hNode: CUgraphNode, dependencies: *mut CUgraphNode, numDependencies: *mut usize) => graph::node_get_dependencies;
    cuGraphNodeGetDependencies_v2(hNode: CUgraphNode, dependencies: *mut CUgraphNode, edgeData: *mut CUgraphEdgeData, numDependencies: *mut usize) => graph::node_get_dependencies_v2;
    cuGraphNodeGetDependentNodes(hNode: CUgraphNode, dependentNodes: *mut CUgraphNode, numDependentNodes: *mut usize) => graph::node_get_dependent_nodes;
    cuGraphNodeGetDependentNodes_v2(hNode: CUgraphNode, dependentNodes: *mut CUgraphNode, edgeData: *mut CUgraphEdgeData, numDependentNodes: *mut usize) => graph::node_get_dependent_nodes_v2;
    cuGraphAddDependencies(hGraph: CUgraph, from: *const CUgraphNode, to: *const CUgraphNode, numDependencies: usize) => graph::add_dependencies;
    cuGraphAddDependencies_v2(hGraph: CUgraph, from: *const CUgraphNode, to: *const CUgraphNode, edgeData: *const CUgraphEdgeData, numDependencies: usize) => graph::add_dependencies_v2;
    cuGraphRemoveDependencies(hGraph: CUgraph, from: *const CUgraphNode, to: *const CUgraphNode, numDependencies: usize) => graph::remove_dependencies;
    cuGraphRemoveDependencies_v2(hGraph: CUgraph, from: *const CUgraphNode, to: *const CUgraphNode, edgeData: *const CUgraphEdgeData, numDependencies: usize) => graph::remove_dependencies_v2;
    cuGraphKernelNodeGetParams(hNode: CUgraphNode, nodeParams: *mut CUDA_KERNEL_NODE_PARAMS) => graph::kernel_node_get_params_v1;
    cuGraphKernelNodeGetParams_v2(hNode: CUgraphNode, nodeParams: *mut CUDA_KERNEL_NODE_PARAMS) => graph::kernel_node_get_params;
    cuGraphKernelNodeSetParams(hNode: CUgraphNode, nodeParams: *const CUDA_KERNEL_NODE_PARAMS) => graph::kernel_node_set_params_v1;
    cuGraphKernelNodeSetParams_v2(hNode: CUgraphNode, nodeParams: *const CUDA_KERNEL_NODE_PARAMS) => graph::kernel_node_set_params;
    cuGraphKernelNodeGetAttribute(hNode: CUgraphNode, attr: c_uint, value_out: *mut [u8; 64]) => graph::kernel_node_get_attribute;
    cuGraphKernelNodeSetAttribute(hNode: CUgraphNode, attr: c_uint, value: *const [u8; 64]) => graph::kernel_node_set_attribute;
    cuGraphKernelNodeCopyAttributes(dst: CUgraphNode, src: CUgraphNode) => graph::kernel_node_copy_attributes;
    cuGraphMemcpyNodeGetParams(hNode: CUgraphNode, nodeParams: *mut CUDA_MEMCPY3D) => graph::memcpy_node_get_params;
    cuGraphMemcpyNodeSetParams(hNode: CUgraphNode, nodeParams: *const CUDA_MEMCPY3D) => graph::memcpy_node_set_params;
    cuGraphMemsetNodeGetParams(hNode: CUgraphNode, nodeParams: *mut CUDA_MEMSET_NODE_PARAMS) => graph::memset_node_get_params;
    cuGraphMemsetNodeSetParams(hNode: CUgraphNode, nodeParams: *const CUDA_MEMSET_NODE_PARAMS) => graph::memset_node_set_params;
    cuGraphHostNodeGetParams(hNode: CUgraphNode, nodeParams: *mut CUDA_HOST_NODE_PARAMS) => graph::host_node_get_params;
    cuGraphHostNodeSetParams(hNode: CUgraphNode, nodeParams: *const CUDA_HOST_NODE_PARAMS) => graph::host_node_set_params;
    cuGraphChildGraphNodeGetGraph(hNode: CUgraphNode, phGraph: *mut CUgraph) => graph::child_graph_node_get_graph;
    cuGraphEventRecordNodeGetEvent(hNode: CUgraphNode, event_out: *mut CUevent) => graph::event_record_node_get_event;
    cuGraphEventRecordNodeSetEvent(hNode: CUgraphNode, event: CUevent) => graph::event_record_node_set_event;
    cuGraphEventWaitNodeGetEvent(hNode: CUgraphNode, event_out: *mut CUevent) => graph::event_wait_node_get_event;
    cuGraphEventWaitNodeSetEvent(hNode: CUgraphNode, event: CUevent) => graph::event_wait_node_set_event;
    cuGraphInstantiate | cuGraphInstantiate_v2(phGraphExec: *mut CUgraphExec, hGraph: CUgraph, phErrorNode: *mut CUgraphNode, logBuffer: *mut c_char, bufferSize: usize) => graph::instantiate_legacy;
    cuGraphInstantiateWithFlags(phGraphExec: *mut CUgraphExec, hGraph: CUgraph, flags: u64) => graph::instantiate_with_flags;
    cuGraphInstantiateWithParams | cuGraphInstantiateWithParams_ptsz(phGraphExec: *mut CUgraphExec, hGraph: CUgraph, instantiateParams: *mut CUDA_GRAPH_INSTANTIATE_PARAMS) => graph::instantiate_with_params;
    cuGraphExecGetFlags(hGraphExec: CUgraphExec, flags: *mut u64) => graph::exec_get_flags;
    cuGraphExecGetId(hGraphExec: CUgraphExec, graphId: *mut c_uint) => graph::exec_get_id;
    cuGraphExecDestroy(hGraphExec: CUgraphExec) => graph::exec_destroy;
    cuGraphUpload | cuGraphUpload_ptsz(hGraphExec: CUgraphExec, hStream: CUstream) => graph::upload;
    cuGraphLaunch | cuGraphLaunch_ptsz(hGraphExec: CUgraphExec, hStream: CUstream) => graph::launch;
    cuGraphExecUpdate(hGraphExec: CUgraphExec, hGraph: CUgraph, hErrorNode_out: *mut CUgraphNode, updateResult_out: *mut c_uint) => graph::exec_update_v1;
    cuGraphExecUpdate_v2(hGraphExec: CUgraphExec, hGraph: CUgraph, resultInfo: *mut CUgraphExecUpdateResultInfo) => graph::exec_update_v2;
    cuGraphExecKernelNodeSetParams(hGraphExec: CUgraphExec, hNode: CUgraphNode, nodeParams: *const CUDA_KERNEL_NODE_PARAMS) => graph::exec_kernel_node_set_params_v1;
    cuGraphExecKernelNodeSetParams_v2(hGraphExec: CUgraphExec, hNode: CUgraphNode, nodeParams: *const CUDA_KERNEL_NODE_PARAMS) => graph::exec_kernel_node_set_params;
    cuGraphExecMemcpyNodeSetParams(hGraphExec: CUgraphExec, hNode: CUgraphNode, copyParams: *const CUDA_MEMCPY3D, ctx: CUcontext) => graph::exec_memcpy_node_set_params;
    cuGraphExecMemsetNodeSetParams(hGraphExec: CUgraphExec, hNode: CUgraphNode, memsetParams: *const CUDA_MEMSET_NODE_PARAMS, ctx: CUcontext) => graph::exec_memset_node_set_params;
    cuGraphExecHostNodeSetParams(hGraphExec: CUgraphExec, hNode: CUgraphNode, nodeParams: *const CUDA_HOST_NODE_PARAMS) => graph::exec_host_node_set_params;
    cuGraphExecChildGraphNodeSetParams(hGraphExec: CUgraphExec, hNode: CUgraphNode, childGraph: CUgraph) => graph::exec_child_graph_node_set_params;
    cuGraphExecEventRecordNodeSetEvent(hGraphExec: CUgraphExec, hNode: CUgraphNode, event: CUevent) => graph::exec_event_record_node_set_event;
    cuGraphExecEventWaitNodeSetEvent(hGraphExec: CUgraphExec, hNode: CUgraphNode, event: CUevent) => graph::exec_event_wait_node_set_event;
    cuGraphNodeSetEnabled(hGraphExec: CUgraphExec, hNode: CUgraphNode, isEnabled: c_uint) => graph::node_set_enabled;
    cuGraphNodeGetEnabled(hGraphExec: CUgraphExec, hNode: CUgraphNode, isEnabled: *mut c_uint) => graph::node_get_enabled;
    cuGraphDebugDotPrint(hGraph: CUgraph, path: *const c_char, flags: c_uint) => graph::debug_dot_print;
    cuGraphAddNode(phGraphNode: *mut CUgraphNode, hGraph: CUgraph, dependencies: *const CUgraphNode, numDependencies: usize, nodeParams: *mut CUgraphNodeParams) => graphparams::add_node_v1;
    cuGraphAddNode_v2(phGraphNode: *mut CUgraphNode, hGraph: CUgraph, dependencies: *const CUgraphNode, dependencyData: *const CUgraphEdgeData, numDependencies: usize, nodeParams: *mut CUgraphNodeParams) => graphparams::add_node_v2;
    cuGraphAddNode_v3(phGraphNode: *mut CUgraphNode, hGraph: CUgraph, dependencies: *const CUgraphNode, dependencyData: *const CUgraphEdgeData, numDependencies: usize, nodeParams: *mut CUgraphNodeParams) => graphparams::add_node_v3;
    cuGraphNodeSetParams(hNode: CUgraphNode, nodeParams: *mut CUgraphNodeParams) => graphparams::node_set_params;
    cuGraphNodeSetParams_v2(hNode: CUgraphNode, nodeParams: *mut CUgraphNodeParams) => graphparams::node_set_params_v2;
    cuGraphExecNodeSetParams(hGraphExec: CUgraphExec, hNode: CUgraphNode, nodeParams: *mut CUgraphNodeParams) => graphparams::exec_node_set_params;
    cuGraphNodeGetParams(hNode: CUgraphNode, nodeParams: *mut CUgraphNodeParams) => graphparams::node_get_params;
    cuUserObjectCreate(object_out: *mut CUuserObject, ptr: *mut c_void, destroy: CUhostFn, initialRefcount: c_uint, flags: c_uint) => userobj::create;
    cuUserObjectRetain(object: CUuserObject, count: c_uint) => userobj::user_retain;
    cuUserObjectRelease(object: CUuserObject, count: c_uint) => userobj::user_release;
    cuGraphRetainUserObject(graph: CUgraph, object: CUuserObject, count: c_uint, flags: c_uint) => graph::retain_user_object;
    cuGraphReleaseUserObject(graph: CUgraph, object: CUuserObject, count: c_uint) => graph::release_user_object;
    cuGraphAddMemAllocNode(phGraphNode: *mut CUgraphNode, hGraph: CUgraph, dependencies: *const CUgraphNode, numDependencies: usize, nodeParams: *mut CUDA_MEM_ALLOC_NODE_PARAMS) => graph::add_mem_alloc_node;
    cuGraphAddMemFreeNode(phGraphNode: *mut CUgraphNode, hGraph: CUgraph, dependencies: *const CUgraphNode, numDependencies: usize, dptr: CUdeviceptr) => graph::add_mem_free_node;
    cuGraphMemAllocNodeGetParams(hNode: CUgraphNode, params_out: *mut CUDA_MEM_ALLOC_NODE_PARAMS) => graph::mem_alloc_node_get_params;
    cuGraphMemFreeNodeGetParams(hNode: CUgraphNode, dptr_out: *mut CUdeviceptr) => graph::mem_free_node_get_params;
    cuDeviceGraphMemTrim(device: CUdevice) => graphmem::device_trim;
    cuGraphAddBatchMemOpNode(phGraphNode: *mut CUgraphNode, hGraph: CUgraph, dependencies: *const CUgraphNode, numDependencies: usize, nodeParams: *const CUDA_BATCH_MEM_OP_NODE_PARAMS) => graph::add_batch_mem_op_node;
    cuGraphBatchMemOpNodeGetParams(hNode: CUgraphNode, nodeParams_out: *mut CUDA_BATCH_MEM_OP_NODE_PARAMS) => graph::batch_mem_op_node_get_params;
    cuGraphBatchMemOpNodeSetParams(hNode: CUgraphNode, nodeParams: *const CUDA_BATCH_MEM_OP_NODE_PARAMS) => graph::batch_mem_op_node_set_params;
    cuGraphExecBatchMemOpNodeSetParams(hGraphExec: CUgraphExec, hNode: CUgraphNode, nodeParams: *const CUDA_BATCH_MEM_OP_NODE_PARAMS) => graph::exec_batch_mem_op_node_set_params;
    cuDeviceGetGraphMemAttribute(device: CUdevice, attr: c_uint, value: *mut c_void) => graphmem::device_get_attribute;
    cuDeviceSetGraphMemAttribute(device: CUdevice, attr: c_uint, value: *mut c_void) => graphmem::device_set_attribute;
    cuStreamWaitValue32_v2 | cuStreamWaitValue32_v2_ptsz(stream: CUstream, addr: CUdeviceptr, value: u32, flags: c_uint) => memops::wait_value32;
    cuStreamWaitValue64_v2 | cuStreamWaitValue64_v2_ptsz(stream: CUstream, addr: CUdeviceptr, value: u64, flags: c_uint) => memops::wait_value64;
    cuStreamWriteValue32_v2 | cuStreamWriteValue32_v2_ptsz(stream: CUstream, addr: CUdeviceptr, value: u32, flags: c_uint) => memops::write_value32;
    cuStreamWriteValue64_v2 | cuStreamWriteValue64_v2_ptsz(stream: CUstream, addr: CUdeviceptr, value: u64, flags: c_uint) => memops::write_value64;
    cuStreamBatchMemOp_v2 | cuStreamBatchMemOp_v2_ptsz(stream: CUstream, count: c_uint, paramArray: *const CUstreamBatchMemOpParams, flags: c_uint) => memops::batch_mem_op;
    cuStreamGetAttribute | cuStreamGetAttribute_ptsz(hStream: CUstream, attr: c_uint, value_out: *mut [u8; 64]) => memops::get_attribute;
    cuStreamSetAttribute | cuStreamSetAttribute_ptsz(hStream: CUstream, attr: c_uint, value: *const [u8; 64]) => memops::set_attribute;
    cuStreamCopyAttributes | cuStreamCopyAttributes_ptsz(dst: CUstream, src: CUstream) => memops::copy_attributes;
    cuStreamAttachMemAsync | cuStreamAttachMemAsync_ptsz(hStream: CUstream, dptr: CUdeviceptr, length: usize, flags: c_uint) => stream::attach_mem_async;

    // ---- events ----
    cuEventCreate(phEvent: *mut CUevent, Flags: c_uint) => event::create;
    cuEventRecord | cuEventRecord_ptsz(hEvent: CUevent, hStream: CUstream) => event::record;
    cuEventRecordWithFlags | cuEventRecordWithFlags_ptsz(hEvent: CUevent, hStream: CUstream, flags: c_uint) => event::record_with_flags;
    cuEventQuery(hEvent: CUevent) => event::query;
    cuEventSynchronize(hEvent: CUevent) => event::synchronize;
    cuEventElapsedTime | cuEventElapsedTime_v2(pMilliseconds: *mut f32, hStart: CUevent, hEnd: CUevent) => event::elapsed_time;
    cuEventDestroy_v2(hEvent: CUevent) => event::destroy;
    cuCtxRecordEvent(hCtx: CUcontext, hEvent: CUevent) => event::ctx_record;
    cuCtxWaitEvent(hCtx: CUcontext, hEvent: CUevent) => event::ctx_wait;

    // ---- modules ----
    cuModuleLoad(module: *mut CUmodule, fname: *const c_char) => module::load;
    cuModuleLoadData(module: *mut CUmodule, image: *const c_void) => module::load_data;
    cuModuleLoadDataEx(module: *mut CUmodule, image: *const c_void, numOptions: c_uint, options: *mut c_uint, optionValues: *mut *mut c_void) => module::load_data_ex;
    cuModuleLoadFatBinary(module: *mut CUmodule, fatCubin: *const c_void) => module::load_fat_binary;
    cuModuleUnload(hmod: CUmodule) => module::unload;
    cuModuleGetFunction(hfunc: *mut CUfunction, hmod: CUmodule, name: *const c_char) => module::get_function;
    cuModuleGetGlobal_v2(dptr: *mut CUdeviceptr, bytes: *mut usize, hmod: CUmodule, name: *const c_char) => module::get_global;
    cuModuleGetLoadingMode(mode: *mut c_uint) => module::get_loading_mode;
    cuModuleGetFunctionCount(count: *mut c_uint, hmod: CUmodule) => module::get_function_count;
    cuModuleEnumerateFunctions(functions: *mut CUfunction, numFunctions: c_uint, hmod: CUmodule) => module::enumerate_functions;

    cuLinkCreate | cuLinkCreate_v2(numOptions: c_uint, options: *mut c_uint, optionValues: *mut *mut c_void, stateOut: *mut CUlinkState) => link::create;
    cuLinkAddData | cuLinkAddData_v2(state: CUlinkState, r#type: c_uint, data: *mut c_void, size: usize, name: *const c_char, numOptions: c_uint, options: *mut c_uint, optionValues: *mut *mut c_void) => link::add_data;
    cuLinkAddFile | cuLinkAddFile_v2(state: CUlinkState, r#type: c_uint, path: *const c_char, numOptions: c_uint, options: *mut c_uint, optionValues: *mut *mut c_void) => link::add_file;
    cuLinkComplete(state: CUlinkState, cubinOut: *mut *mut c_void, sizeOut: *mut usize) => link::complete;
    cuLinkDestroy(state: CUlinkState) => link::destroy;

    // ---- libraries and kernels ----
    cuLibraryLoadData(library: *mut CUlibrary, code: *const c_void, jitOptions: *mut c_uint, jitOptionsValues: *mut *mut c_void, numJitOptions: c_uint, libraryOptions: *mut c_uint, libraryOptionValues: *mut *mut c_void, numLibraryOptions: c_uint) => module::library_load_data;
    cuLibraryLoadFromFile(library: *mut CUlibrary, fileName: *const c_char, jitOptions: *mut c_uint, jitOptionsValues: *mut *mut c_void, numJitOptions: c_uint, libraryOptions: *mut c_uint, libraryOptionValues: *mut *mut c_void, numLibraryOptions: c_uint) => module::library_load_from_file;
    cuLibraryUnload(library: CUlibrary) => module::library_unload;
    cuLibraryGetKernel(pKernel: *mut CUkernel, library: CUlibrary, name: *const c_char) => module::library_get_kernel;
    cuLibraryGetModule(pMod: *mut CUmodule, library: CUlibrary) => module::library_get_module;
    cuLibraryGetGlobal(dptr: *mut CUdeviceptr, bytes: *mut usize, library: CUlibrary, name: *const c_char) => module::library_get_global;
    cuLibraryGetManaged(dptr: *mut CUdeviceptr, bytes: *mut usize, library: CUlibrary, name: *const c_char) => module::library_get_managed;
    cuLibraryGetKernelCount(count: *mut c_uint, lib: CUlibrary) => module::library_get_kernel_count;
    cuLibraryEnumerateKernels(kernels: *mut CUkernel, numKernels: c_uint, lib: CUlibrary) => module::library_enumerate_kernels;
    cuKernelGetFunction(pFunc: *mut CUfunction, kernel: CUkernel) => module::kernel_get_function;
    cuKernelGetLibrary(pLib: *mut CUlibrary, kernel: CUkernel) => module::kernel_get_library;
    cuKernelGetAttribute(pi: *mut c_int, attrib: c_int, kernel: CUkernel, dev: CUdevice) => module::kernel_get_attribute;
    cuKernelSetAttribute(attrib: c_int, val: c_int, kernel: CUkernel, dev: CUdevice) => module::kernel_set_attribute;
    cuKernelSetCacheConfig(kernel: CUkernel, config: c_uint, dev: CUdevice) => module::kernel_set_cache_config;
    cuKernelGetName(name: *mut *const c_char, hfunc: CUkernel) => module::kernel_get_name;
    cuKernelGetParamInfo(kernel: CUkernel, paramIndex: usize, paramOffset: *mut usize, paramSize: *mut usize) => module::kernel_get_param_info;
    cuKernelGetParamCount(kernel: CUkernel, paramCount: *mut usize) => module::kernel_get_param_count;

    // ---- functions ----
    cuFuncGetAttribute(pi: *mut c_int, attrib: c_int, hfunc: CUfunction) => module::get_attribute;
    cuFuncSetAttribute(hfunc: CUfunction, attrib: c_int, value: c_int) => module::set_attribute;
    cuFuncSetCacheConfig(hfunc: CUfunction, config: c_uint) => module::set_cache_config;
    cuFuncSetSharedMemConfig(hfunc: CUfunction, config: c_uint) => module::set_shared_mem_config;
    cuFuncGetName(name: *mut *const c_char, hfunc: CUfunction) => module::get_name;
    cuFuncGetModule(hmod: *mut CUmodule, hfunc: CUfunction) => module::get_module;
    cuFuncGetParamInfo(func: CUfunction, paramIndex: usize, paramOffset: *mut usize, paramSize: *mut usize) => module::func_get_param_info;
    cuFuncGetParamCount(func: CUfunction, paramCount: *mut usize) => module::func_get_param_count;
    cuFuncIsLoaded(state: *mut c_uint, function: CUfunction) => module::is_loaded;
    cuFuncLoad(function: CUfunction) => module::load_function;

    // ---- texture and surface objects ----
    cuTexObjectCreate(pTexObject: *mut u64, pResDesc: *const CUDA_RESOURCE_DESC, pTexDesc: *const CUDA_TEXTURE_DESC, pResViewDesc: *const CUDA_RESOURCE_VIEW_DESC) => texture::tex_object_create;
    cuTexObjectDestroy(texObject: u64) => texture::tex_object_destroy;
    cuTexObjectGetResourceDesc(pResDesc: *mut CUDA_RESOURCE_DESC, texObject: u64) => texture::tex_object_get_resource_desc;
    // ---- tensor maps ----
    cuTensorMapEncodeTiled(tensorMap: *mut c_void, tensorDataType: c_int, tensorRank: c_uint, globalAddress: *mut c_void, globalDim: *const u64, globalStrides: *const u64, boxDim: *const c_uint, elementStrides: *const c_uint, interleave: c_int, swizzle: c_int, l2Promotion: c_int, oobFill: c_int) => tensormap::encode_tiled;
    cuTensorMapEncodeIm2col(tensorMap: *mut c_void, tensorDataType: c_int, tensorRank: c_uint, globalAddress: *mut c_void, globalDim: *const u64, globalStrides: *const u64, pixelBoxLowerCorner: *const c_int, pixelBoxUpperCorner: *const c_int, channelsPerPixel: c_uint, pixelsPerColumn: c_uint, elementStrides: *const c_uint, interleave: c_int, swizzle: c_int, l2Promotion: c_int, oobFill: c_int) => tensormap::encode_im2col;
    cuTensorMapEncodeIm2colWide(tensorMap: *mut c_void, tensorDataType: c_int, tensorRank: c_uint, globalAddress: *mut c_void, globalDim: *const u64, globalStrides: *const u64, pixelBoxLowerCornerWidth: c_int, pixelBoxUpperCornerWidth: c_int, channelsPerPixel: c_uint, pixelsPerColumn: c_uint, elementStrides: *const c_uint, interleave: c_int, mode: c_int, swizzle: c_int, l2Promotion: c_int, oobFill: c_int) => tensormap::encode_im2col_wide;
    cuTensorMapReplaceAddress(tensorMap: *mut c_void, globalAddress: *mut c_void) => tensormap::replace_address;

    cuTexObjectGetTextureDesc(pTexDesc: *mut CUDA_TEXTURE_DESC, texObject: u64) => texture::tex_object_get_texture_desc;
    cuTexObjectGetResourceViewDesc(pResViewDesc: *mut CUDA_RESOURCE_VIEW_DESC, texObject: u64) => texture::tex_object_get_resource_view_desc;
    cuSurfObjectCreate(pSurfObject: *mut u64, pResDesc: *const CUDA_RESOURCE_DESC) => texture::surf_object_create;
    cuSurfObjectDestroy(surfObject: u64) => texture::surf_object_destroy;
    cuSurfObjectGetResourceDesc(pResDesc: *mut CUDA_RESOURCE_DESC, surfObject: u64) => texture::surf_object_get_resource_desc;

    // ---- launches and occupancy ----
    cuLaunchKernel | cuLaunchKernel_ptsz(f: CUfunction, gridDimX: c_uint, gridDimY: c_uint, gridDimZ: c_uint, blockDimX: c_uint, blockDimY: c_uint, blockDimZ: c_uint, sharedMemBytes: c_uint, hStream: CUstream, kernelParams: *mut *mut c_void, extra: *mut *mut c_void) => launch::launch_kernel;
    cuLaunchKernelEx | cuLaunchKernelEx_ptsz(config: *const CUlaunchConfig, f: CUfunction, kernelParams: *mut *mut c_void, extra: *mut *mut c_void) => launch::launch_kernel_ex;
    cuLaunchCooperativeKernel | cuLaunchCooperativeKernel_ptsz(f: CUfunction, gridDimX: c_uint, gridDimY: c_uint, gridDimZ: c_uint, blockDimX: c_uint, blockDimY: c_uint, blockDimZ: c_uint, sharedMemBytes: c_uint, hStream: CUstream, kernelParams: *mut *mut c_void) => launch::launch_cooperative_kernel;
    cuOccupancyMaxActiveBlocksPerMultiprocessor(numBlocks: *mut c_int, func: CUfunction, blockSize: c_int, dynamicSMemSize: usize) => launch::max_active_blocks;
    cuOccupancyMaxActiveBlocksPerMultiprocessorWithFlags(numBlocks: *mut c_int, func: CUfunction, blockSize: c_int, dynamicSMemSize: usize, flags: c_uint) => launch::max_active_blocks_with_flags;
    cuOccupancyMaxPotentialBlockSize(minGridSize: *mut c_int, blockSize: *mut c_int, func: CUfunction, blockSizeToDynamicSMemSize: CUoccupancyB2DSize, dynamicSMemSize: usize, blockSizeLimit: c_int) => launch::max_potential_block_size;
    cuOccupancyMaxPotentialBlockSizeWithFlags(minGridSize: *mut c_int, blockSize: *mut c_int, func: CUfunction, blockSizeToDynamicSMemSize: CUoccupancyB2DSize, dynamicSMemSize: usize, blockSizeLimit: c_int, flags: c_uint) => launch::max_potential_block_size_with_flags;
    cuOccupancyAvailableDynamicSMemPerBlock(dynamicSmemSize: *mut usize, func: CUfunction, numBlocks: c_int, blockSize: c_int) => launch::available_dynamic_smem_per_block;
    cuOccupancyMaxPotentialClusterSize(clusterSize: *mut c_int, func: CUfunction, config: *const CUlaunchConfig) => launch::max_potential_cluster_size;
    cuOccupancyMaxActiveClusters(numClusters: *mut c_int, func: CUfunction, config: *const CUlaunchConfig) => launch::max_active_clusters;
}

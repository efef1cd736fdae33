#include "bootmedia/zstd_compress.hpp"

#include <zstd.h>

#include <memory>

#include "bootmedia/error.hpp"

namespace castline::bootmedia {
namespace {

void check(std::size_t code, const char* what) {
    if (ZSTD_isError(code))
        throw BootmediaError(std::string("zstd ") + what + ": " + ZSTD_getErrorName(code));
}

}  // namespace

std::string zstd_compress(std::string_view data, int level) {
    const std::unique_ptr<ZSTD_CCtx, decltype(&ZSTD_freeCCtx)> cctx(ZSTD_createCCtx(),
                                                                    &ZSTD_freeCCtx);
    if (!cctx) throw BootmediaError("zstd: out of memory");
    check(ZSTD_CCtx_setParameter(cctx.get(), ZSTD_c_compressionLevel, level), "level");
    check(ZSTD_CCtx_setParameter(cctx.get(), ZSTD_c_checksumFlag, 1), "checksum");
    check(ZSTD_CCtx_setParameter(cctx.get(), ZSTD_c_nbWorkers, 0), "workers");
    std::string out(ZSTD_compressBound(data.size()), '\0');
    const std::size_t size =
        ZSTD_compress2(cctx.get(), out.data(), out.size(), data.data(), data.size());
    check(size, "compress");
    out.resize(size);
    return out;
}

}  // namespace castline::bootmedia

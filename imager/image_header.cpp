#include "imager/image_header.hpp"

#include <algorithm>
#include <cstring>
#include <string>

#include "imager/byte_io.hpp"
#include "imager/errors.hpp"

namespace castline::imager {
namespace {
constexpr char kMagic[8] = {'C', 'A', 'S', 'T', 'L', 'I', 'M', 'G'};
constexpr std::size_t kChecksumAt = kHeaderSize - 16;
constexpr std::uint32_t kFlagEncrypted = 1;
constexpr std::uint32_t kKdfPbkdf2Sha256 = 1;
}  // namespace

std::vector<std::uint8_t> ImageHeader::manifest_aad() const {
    ByteWriter w;
    w.u16(major);
    w.u16(minor);
    w.u32(kdf_iterations);
    w.raw(salt);
    w.raw(key_check);
    return std::move(w.bytes());
}

std::vector<std::uint8_t> serialize_header(const ImageHeader& h) {
    ByteWriter w;
    w.raw({reinterpret_cast<const std::uint8_t*>(kMagic), 8});
    w.u16(h.major);
    w.u16(h.minor);
    w.u32(static_cast<std::uint32_t>(kHeaderSize));
    w.u32(h.encrypted ? kFlagEncrypted : 0);
    w.u32(0);
    w.u64(h.split_size);
    w.u64(h.image_length);
    w.u64(h.manifest_offset);
    w.u64(h.manifest_length);
    w.raw(h.manifest_checksum.bytes);
    w.u32(h.encrypted ? kKdfPbkdf2Sha256 : 0);
    w.u32(h.kdf_iterations);
    w.raw(h.salt);
    w.raw(h.key_check);
    w.zeros(kChecksumAt - w.size());
    const auto sum = xxh3_128(w.bytes());
    w.raw(sum.bytes);
    return std::move(w.bytes());
}

ImageHeader parse_header(std::span<const std::uint8_t> bytes) {
    if (bytes.size() < 12 || std::memcmp(bytes.data(), kMagic, 8) != 0)
        throw bad_image("not a castline image (no CASTLIMG magic at byte 0)");
    ImageHeader h;
    ByteReader r(bytes);
    r.raw(8, "magic");
    h.major = r.u16("major version");
    h.minor = r.u16("minor version");
    // The version comes before everything else, so a future layout is refused by version, not
    // misread as damage.
    if (h.major != kFormatMajor)
        throw bad_image("unsupported image format version " + std::to_string(h.major) + "." +
                        std::to_string(h.minor) + " (this castline-imager reads version " +
                        std::to_string(kFormatMajor) + ".x)");
    if (bytes.size() < kHeaderSize)
        throw bad_image("image truncated: the header needs " + std::to_string(kHeaderSize) +
                        " bytes, the file has " + std::to_string(bytes.size()));
    Hash128 stored;
    std::copy_n(bytes.data() + kChecksumAt, 16, stored.bytes.begin());
    if (xxh3_128(bytes.first(kChecksumAt)) != stored)
        throw bad_image("image header checksum mismatch (bytes 0-511 are damaged)");
    try {
        const auto header_size = r.u32("header size");
        if (header_size != kHeaderSize)
            throw bad_image("image header: header size " + std::to_string(header_size) +
                            ", expected 512");
        const auto flags = r.u32("flags");
        if (flags & ~kFlagEncrypted)
            throw bad_image("image header: unknown flags 0x" + std::to_string(flags));
        h.encrypted = flags & kFlagEncrypted;
        r.u32("reserved");
        h.split_size = r.u64("split size");
        h.image_length = r.u64("image length");
        h.manifest_offset = r.u64("manifest offset");
        h.manifest_length = r.u64("manifest length");
        auto sum = r.raw(16, "manifest checksum");
        std::copy(sum.begin(), sum.end(), h.manifest_checksum.bytes.begin());
        const auto kdf = r.u32("kdf");
        h.kdf_iterations = r.u32("kdf iterations");
        auto salt = r.raw(kSaltSize, "salt");
        std::copy(salt.begin(), salt.end(), h.salt.begin());
        auto check = r.raw(kKeyCheckSize, "key check");
        std::copy(check.begin(), check.end(), h.key_check.begin());
        if (h.encrypted != (kdf == kKdfPbkdf2Sha256) || (kdf != 0 && kdf != kKdfPbkdf2Sha256))
            throw bad_image("image header: unknown key derivation " + std::to_string(kdf));
        if (h.encrypted && (h.kdf_iterations == 0 || h.kdf_iterations > kMaxKdfIterations))
            throw bad_image("image header: PBKDF2 iteration count " +
                            std::to_string(h.kdf_iterations) + " out of range");
    } catch (const FormatError& e) {
        throw bad_image(std::string("image header: ") + e.what());
    }
    if (h.complete()) {
        if (h.manifest_offset < kHeaderSize || h.manifest_length == 0 ||
            h.manifest_offset > h.image_length ||
            h.manifest_length > h.image_length - h.manifest_offset)
            throw bad_image("image header: manifest at " + std::to_string(h.manifest_offset) + "+" +
                            std::to_string(h.manifest_length) + " lies outside the image of " +
                            std::to_string(h.image_length) + " bytes");
        if (h.manifest_length > kMaxManifestSize)
            throw bad_image("image header: manifest length " + std::to_string(h.manifest_length) +
                            " is larger than the " + std::to_string(kMaxManifestSize >> 20) +
                            " MiB a manifest may have");
        if (h.split_size != 0 && h.split_size < kHeaderSize)
            throw bad_image("image header: split size " + std::to_string(h.split_size) +
                            " is smaller than the header");
    }
    return h;
}

}  // namespace castline::imager

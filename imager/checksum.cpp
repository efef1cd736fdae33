#include "imager/checksum.hpp"

#include <xxhash.h>

#include <new>

namespace castline::imager {
namespace {
// Canonical (big-endian) form, so the bytes in the file read the same as XXH128's hex output.
Hash128 from_xxh(XXH128_hash_t h) {
    XXH128_canonical_t canonical;
    XXH128_canonicalFromHash(&canonical, h);
    Hash128 out;
    for (int i = 0; i < 16; ++i) out.bytes[i] = canonical.digest[i];
    return out;
}
}  // namespace

std::string Hash128::hex() const {
    static const char digits[] = "0123456789abcdef";
    std::string out;
    for (auto b : bytes) {
        out += digits[b >> 4];
        out += digits[b & 15];
    }
    return out;
}

Hash128 xxh3_128(std::span<const std::uint8_t> data) {
    return from_xxh(XXH3_128bits(data.data(), data.size()));
}

Xxh3Stream::Xxh3Stream() : state_(XXH3_createState()) {
    if (!state_) throw std::bad_alloc();
    XXH3_128bits_reset(static_cast<XXH3_state_t*>(state_));
}
Xxh3Stream::~Xxh3Stream() {
    XXH3_freeState(static_cast<XXH3_state_t*>(state_));
}
void Xxh3Stream::update(std::span<const std::uint8_t> data) {
    XXH3_128bits_update(static_cast<XXH3_state_t*>(state_), data.data(), data.size());
}
Hash128 Xxh3Stream::digest() const {
    return from_xxh(XXH3_128bits_digest(static_cast<XXH3_state_t*>(state_)));
}

}  // namespace castline::imager

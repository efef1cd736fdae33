// Any bytes as a resolver datagram: a query, an answer or an error; what decodes re-encodes.
#include <algorithm>
#include <cstdint>
#include <span>

#include "multicast/resolver_codec.hpp"

using namespace castline::multicast;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::span<const std::uint8_t> bytes(data, size);
    const auto decoded = decode_resolver(bytes);
    std::vector<std::uint8_t> again;
    if (const auto* q = std::get_if<ResolverQuery>(&decoded))
        again = encode_resolver(*q);
    else if (const auto* a = std::get_if<ResolverAnswer>(&decoded))
        again = encode_resolver(*a);
    else if (std::get<ResolverError>(decoded).reason.empty())
        __builtin_trap();
    else
        return 0;
    if (again.size() != size || !std::equal(again.begin(), again.end(), bytes.begin()))
        __builtin_trap();
    return 0;
}

// Any bytes as a multicast datagram: parsing answers a datagram or an error naming a field,
// authentication rejects everything not tagged with the key, and the receiver's reassembly
// takes whatever parses without crashing or writing outside its chunk.
#include <cstdint>
#include <span>

#include "multicast/chunk_assembler.hpp"
#include "multicast/datagram.hpp"

using namespace castline::multicast;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static Key key = [] {
        Key k{};
        k.fill(0x5A);
        return k;
    }();
    static DatagramAuthenticator auth(key);
    const std::span<const std::uint8_t> bytes(data, size);
    const auto parsed = parse_datagram(bytes);
    if (const auto* e = std::get_if<DatagramError>(&parsed)) {
        if (e->reason.empty()) __builtin_trap();
        return 0;
    }
    const auto& d = std::get<SymbolDatagram>(parsed);
    // An input that parses is authentic only if its tag is right; forging it is the point of
    // the tag, so a random input that decodes is a failure of the check.
    const auto decoded = decode_datagram(bytes, d.session_id, auth);
    if (std::holds_alternative<SymbolDatagram>(decoded)) {
        const auto tag = auth.tag(bytes.first(size - DatagramAuthenticator::tag_size));
        if (!equal_constant_time(tag, bytes.last(DatagramAuthenticator::tag_size)))
            __builtin_trap();
    }
    ChunkAssembler assembler({3000, 100, 70000}, 100, 1 << 20);
    const auto added = assembler.add(d);
    if (added.outcome == ChunkAssembler::Outcome::invalid && added.error.empty()) __builtin_trap();
    (void)assembler.needs(1);
    return 0;
}

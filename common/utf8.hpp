#pragma once
// UTF-8 at the edges of castlined: text from the network, from files and from reports reaches
// JSON answers and log lines, which must stay valid however the bytes arrive.
#include <cstddef>
#include <string_view>

namespace castline {

// The length (1..4) of the well-formed UTF-8 sequence starting at text[at], or 0 when the byte
// there does not start one (a stray continuation byte, an overlong form, a surrogate, a code
// point above U+10FFFF or a sequence cut short).
std::size_t utf8_sequence_length(std::string_view text, std::size_t at);

// True when every byte of `text` belongs to a well-formed sequence.
bool is_valid_utf8(std::string_view text);

// At most `max_bytes` of `text`, ending on a character boundary: a multi-byte character that
// does not fit whole is left out rather than cut, so valid text stays valid.
std::string_view truncate_utf8(std::string_view text, std::size_t max_bytes);

}  // namespace castline

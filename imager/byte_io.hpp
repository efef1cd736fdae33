#pragma once
// Little-endian encoding for the image header, manifest and chunk headers. ByteReader is
// bounds-checked: every read past the end throws, naming the field, so parsers of hostile input
// cannot overrun.
#include <cstdint>
#include <cstring>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace castline::imager {

struct FormatError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

class ByteWriter {
  public:
    void u8(std::uint8_t v) { bytes_.push_back(v); }
    void u16(std::uint16_t v) { put(v, 2); }
    void u32(std::uint32_t v) { put(v, 4); }
    void u64(std::uint64_t v) { put(v, 8); }
    void raw(std::span<const std::uint8_t> data) {
        bytes_.insert(bytes_.end(), data.begin(), data.end());
    }
    // A string with a 16-bit length in front.
    void str(std::string_view s) {
        if (s.size() > 0xFFFF) throw FormatError("string too long to encode");
        u16(static_cast<std::uint16_t>(s.size()));
        raw({reinterpret_cast<const std::uint8_t*>(s.data()), s.size()});
    }
    void zeros(std::size_t n) { bytes_.insert(bytes_.end(), n, 0); }
    std::size_t size() const { return bytes_.size(); }
    std::vector<std::uint8_t>& bytes() { return bytes_; }

  private:
    void put(std::uint64_t v, int n) {
        for (int i = 0; i < n; ++i) bytes_.push_back(static_cast<std::uint8_t>(v >> (8 * i)));
    }
    std::vector<std::uint8_t> bytes_;
};

class ByteReader {
  public:
    explicit ByteReader(std::span<const std::uint8_t> data) : data_(data) {}
    std::uint8_t u8(const char* field) { return static_cast<std::uint8_t>(get(1, field)); }
    std::uint16_t u16(const char* field) { return static_cast<std::uint16_t>(get(2, field)); }
    std::uint32_t u32(const char* field) { return static_cast<std::uint32_t>(get(4, field)); }
    std::uint64_t u64(const char* field) { return get(8, field); }
    std::span<const std::uint8_t> raw(std::size_t n, const char* field) {
        need(n, field);
        auto out = data_.subspan(at_, n);
        at_ += n;
        return out;
    }
    std::string str(const char* field) {
        const auto n = u16(field);
        auto bytes = raw(n, field);
        return {reinterpret_cast<const char*>(bytes.data()), bytes.size()};
    }
    std::size_t position() const { return at_; }
    std::size_t remaining() const { return data_.size() - at_; }

  private:
    void need(std::size_t n, const char* field) const {
        if (n > data_.size() - at_)
            throw FormatError(std::string("truncated at ") + field + " (byte " +
                              std::to_string(at_) + ")");
    }
    std::uint64_t get(int n, const char* field) {
        need(static_cast<std::size_t>(n), field);
        std::uint64_t v = 0;
        for (int i = 0; i < n; ++i) v |= static_cast<std::uint64_t>(data_[at_ + i]) << (8 * i);
        at_ += static_cast<std::size_t>(n);
        return v;
    }
    std::span<const std::uint8_t> data_;
    std::size_t at_ = 0;
};

inline void store_u64(std::uint8_t* out, std::uint64_t v) {
    for (int i = 0; i < 8; ++i) out[i] = static_cast<std::uint8_t>(v >> (8 * i));
}

}  // namespace castline::imager

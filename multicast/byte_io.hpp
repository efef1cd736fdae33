#pragma once
// Big-endian field reading and writing for the multicast wire formats. The reader never reads
// past its span: a short read sets an error that names the field, and every later read is a
// no-op, so decoders can read a whole message and check once.
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace castline::multicast {

class ByteWriter {
  public:
    void u8(std::uint8_t v) { out_.push_back(v); }
    void u16(std::uint16_t v) {
        u8(static_cast<std::uint8_t>(v >> 8));
        u8(static_cast<std::uint8_t>(v));
    }
    void u32(std::uint32_t v) {
        u16(static_cast<std::uint16_t>(v >> 16));
        u16(static_cast<std::uint16_t>(v));
    }
    void u64(std::uint64_t v) {
        u32(static_cast<std::uint32_t>(v >> 32));
        u32(static_cast<std::uint32_t>(v));
    }
    void bytes(std::span<const std::uint8_t> b) { out_.insert(out_.end(), b.begin(), b.end()); }
    // A u16 length followed by the text.
    void text(std::string_view s) {
        u16(static_cast<std::uint16_t>(s.size()));
        out_.insert(out_.end(), s.begin(), s.end());
    }
    // A u32 length followed by the bytes.
    void blob(std::span<const std::uint8_t> b) {
        u32(static_cast<std::uint32_t>(b.size()));
        bytes(b);
    }
    std::vector<std::uint8_t>& data() { return out_; }
    std::vector<std::uint8_t> take() { return std::move(out_); }

  private:
    std::vector<std::uint8_t> out_;
};

class ByteReader {
  public:
    explicit ByteReader(std::span<const std::uint8_t> in) : in_(in) {}

    std::uint8_t u8(std::string_view field) {
        if (!need(1, field)) return 0;
        return in_[pos_++];
    }
    std::uint16_t u16(std::string_view field) {
        if (!need(2, field)) return 0;
        const auto v = static_cast<std::uint16_t>(in_[pos_] << 8 | in_[pos_ + 1]);
        pos_ += 2;
        return v;
    }
    std::uint32_t u32(std::string_view field) {
        if (!need(4, field)) return 0;
        std::uint32_t v = 0;
        for (int i = 0; i < 4; ++i) v = v << 8 | in_[pos_++];
        return v;
    }
    std::uint64_t u64(std::string_view field) {
        if (!need(8, field)) return 0;
        std::uint64_t v = 0;
        for (int i = 0; i < 8; ++i) v = v << 8 | in_[pos_++];
        return v;
    }
    std::span<const std::uint8_t> bytes(std::size_t n, std::string_view field) {
        if (!need(n, field)) return {};
        auto s = in_.subspan(pos_, n);
        pos_ += n;
        return s;
    }
    std::string text(std::string_view field, std::size_t max_length) {
        const auto n = u16(field);
        if (ok() && n > max_length) {
            fail(std::string(field) + ": length " + std::to_string(n) + " exceeds " +
                 std::to_string(max_length));
            return {};
        }
        auto b = bytes(n, field);
        return {b.begin(), b.end()};
    }
    std::vector<std::uint8_t> blob(std::string_view field, std::size_t max_length) {
        const auto n = u32(field);
        if (ok() && n > max_length) {
            fail(std::string(field) + ": length " + std::to_string(n) + " exceeds " +
                 std::to_string(max_length));
            return {};
        }
        auto b = bytes(n, field);
        return {b.begin(), b.end()};
    }
    std::span<const std::uint8_t> rest() {
        auto s = in_.subspan(pos_);
        pos_ = in_.size();
        return s;
    }
    // Marks the message invalid with a reason (first error wins).
    void fail(std::string reason) {
        if (error_.empty()) error_ = std::move(reason);
        failed_ = true;
    }
    bool ok() const { return !failed_; }
    bool at_end() const { return pos_ == in_.size(); }
    std::size_t remaining() const { return in_.size() - pos_; }
    std::size_t position() const { return pos_; }
    const std::string& error() const { return error_; }

  private:
    bool need(std::size_t n, std::string_view field) {
        if (failed_) return false;
        if (in_.size() - pos_ < n) {
            fail(std::string(field) + ": truncated at byte " + std::to_string(pos_) + " (need " +
                 std::to_string(n) + ", have " + std::to_string(in_.size() - pos_) + ")");
            return false;
        }
        return true;
    }
    std::span<const std::uint8_t> in_;
    std::size_t pos_ = 0;
    bool failed_ = false;
    std::string error_;
};

}  // namespace castline::multicast

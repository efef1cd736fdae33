#pragma once
// Decides what the sender sends in each pass. Pure: fed receivers' reports, it answers with a
// list of (chunk, block, symbols) to send. No lockstep: a report answers the end of some pass,
// and a block's need from that report counts only if the block has not been served since, so
// late reports never make the sender repeat what is already on its way.
#include <cstdint>
#include <map>
#include <optional>
#include <vector>

#include "multicast/control.hpp"
#include "multicast/fec.hpp"

namespace castline::multicast {

struct SendItem {
    std::uint32_t chunk = 0;
    std::uint16_t block = 0;
    std::uint16_t first_symbol = 0;  // symbol index of the first one to send
    std::uint16_t count = 0;         // first_symbol + count <= 65536
    bool operator==(const SendItem&) const = default;
};

class RepairPlanner {
  public:
    RepairPlanner(std::vector<std::uint32_t> chunk_sizes, std::uint32_t symbol_size);

    // A receiver's report replaces its previous one. Progress-only reports carry no needs.
    void report(std::uint32_t receiver, const Report& r);
    void remove(std::uint32_t receiver);

    // Plans pass `pass` (passes count from 1). Each block needed by any receiver is sent
    // max(need) + max(need) * margin symbols (rounded while the lap is open, rounded up after it),
    // continuing from where the block's last symbols left off, so each repair symbol is new to
    // everyone who needs it. While blocks never sent are needed (a lap is under way), whole chunks
    // already sent wait (a late joiner gets them on the following lap), and so do all repairs of
    // receivers that report a loss above 25 % (a slow link), unless all receivers do. While paused,
    // include_whole is false: only partly received blocks are repaired. new_bytes_limit > 0 sends
    // at most that many bytes of chunks never sent before (at least one chunk) and leaves the rest
    // for later plans: the image goes out in windows, so repairs for early chunks travel with later
    // windows instead of all after one long first pass.
    std::vector<SendItem> plan(std::uint32_t pass, double margin, bool include_whole = true,
                               std::uint64_t new_bytes_limit = 0);
    // The last plan left needed chunks unsent because of new_bytes_limit.
    bool unsent_left() const { return unsent_left_; }

    // Receivers with a report whose needs are still open (not yet answered by a later pass).
    bool anyone_waiting() const;
    const BlockLayout& layout(std::uint32_t chunk) const { return layouts_[chunk]; }
    std::uint32_t chunk_count() const { return static_cast<std::uint32_t>(layouts_.size()); }

  private:
    struct BlockState {
        std::uint32_t served_pass = 0;  // last pass that sent symbols of this block
        std::uint16_t cursor = 0;       // next symbol index to send; wraps to 0 after 65535
    };
    BlockState& state(std::uint32_t chunk, std::uint16_t block) {
        return blocks_[block_base_[chunk] + block];
    }
    std::vector<BlockLayout> layouts_;
    std::vector<std::size_t> block_base_;
    std::vector<BlockState> blocks_;
    std::map<std::uint32_t, Report> reports_;
    bool unsent_left_ = false;
};

}  // namespace castline::multicast

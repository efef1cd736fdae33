#include "multicast/repair_planner.hpp"

#include <algorithm>
#include <cmath>

namespace castline::multicast {

RepairPlanner::RepairPlanner(std::vector<std::uint32_t> chunk_sizes, std::uint32_t symbol_size) {
    std::size_t base = 0;
    layouts_.reserve(chunk_sizes.size());
    for (auto size : chunk_sizes) {
        layouts_.emplace_back(size, symbol_size);
        block_base_.push_back(base);
        base += layouts_.back().block_count();
    }
    blocks_.resize(base);
}

void RepairPlanner::report(std::uint32_t receiver, const Report& r) {
    if (r.progress_only) return;
    auto& stored = reports_[receiver];
    // Reports of one receiver arrive in order over TCP; an older pass never replaces a newer one.
    if (r.pass >= stored.pass) stored = r;
}

void RepairPlanner::remove(std::uint32_t receiver) {
    reports_.erase(receiver);
}

std::vector<SendItem> RepairPlanner::plan(std::uint32_t pass, double margin, bool include_whole,
                                          std::uint64_t new_bytes_limit) {
    // A receiver that loses more than this share is behind its own link, not the network's
    // loss: while blocks never sent are needed, its repairs wait for the end of that lap, so it
    // cannot hold the others back; it catches up on later laps. If every receiver is behind,
    // nobody waits.
    constexpr std::uint32_t behind_loss_ppm = 250'000;
    std::size_t behind = 0;
    for (const auto& [id, r] : reports_) behind += r.loss_ppm > behind_loss_ppm ? 1 : 0;
    const bool defer_behind = behind < reports_.size();

    // need[global block] = max over receivers whose report is newer than the block's last send;
    // later[]: the same for needs that wait while the lap is not over.
    std::vector<std::uint16_t> need(blocks_.size(), 0), later(blocks_.size(), 0);
    for (const auto& entry : reports_) {
        const Report& r =
            entry.second;  // a named reference: lambdas cannot capture bindings in clang 14
        const bool deferred = defer_behind && r.loss_ppm > behind_loss_ppm;
        auto consider = [&](std::uint32_t chunk, std::uint16_t block, std::uint16_t n, bool whole) {
            if (chunk >= layouts_.size() || block >= layouts_[chunk].block_count()) return;
            const auto g = block_base_[chunk] + block;
            if (blocks_[g].served_pass > r.pass) return;  // already answered after this report
            // Whole chunks already sent (a late joiner's, or chunks a receiver dropped) go
            // out on the following lap, so they do not slow the lap the others are on.
            auto& into = (deferred || whole) && blocks_[g].served_pass > 0 ? later[g] : need[g];
            into = std::max<std::uint16_t>(
                into, std::min<std::uint16_t>(n, layouts_[chunk].block(block).k));
        };
        for (const auto& range : include_whole ? r.whole : std::vector<ChunkRange>{}) {
            for (std::uint64_t c = range.first;
                 c < std::uint64_t{range.first} + range.count && c < layouts_.size(); ++c) {
                const auto chunk = static_cast<std::uint32_t>(c);
                for (std::uint16_t b = 0; b < layouts_[chunk].block_count(); ++b)
                    consider(chunk, b, layouts_[chunk].block(b).k, true);
            }
        }
        for (const auto& n : r.partial) consider(n.chunk, n.block, n.need, false);
    }
    bool lap_open = false;
    for (std::size_t g = 0; g < blocks_.size() && !lap_open; ++g)
        lap_open = need[g] > 0 && blocks_[g].served_pass == 0;
    if (!lap_open)
        for (std::size_t g = 0; g < blocks_.size(); ++g) need[g] = std::max(need[g], later[g]);

    std::vector<SendItem> items;
    std::uint64_t new_bytes = 0;
    unsent_left_ = false;
    for (std::uint32_t chunk = 0; chunk < layouts_.size(); ++chunk) {
        bool chunk_is_new = false;
        for (std::uint16_t b = 0; b < layouts_[chunk].block_count(); ++b) {
            const auto n = need[block_base_[chunk] + b];
            if (n == 0) continue;
            auto& s = state(chunk, b);
            if (s.served_pass == 0 && new_bytes_limit > 0) {
                if (!chunk_is_new && new_bytes > 0 && new_bytes >= new_bytes_limit) {
                    unsent_left_ = true;
                    continue;
                }
                if (!chunk_is_new) new_bytes += layouts_[chunk].chunk_size();
                chunk_is_new = true;
            }
            // The first sending of a block is its source symbols, which cost no encoding; the
            // margin only pads repairs, where the loss that made them is known to recur. While
            // the lap is open, another round for a block costs no time (it travels with the next
            // window), so the margin is rounded: at 1 % loss a need of 4 would otherwise always
            // get a 5th symbol. After the lap every round is waited for, so it is rounded up.
            const bool first_time = s.served_pass == 0;
            const double padding = n * margin;
            const auto extra = first_time ? 0
                                          : static_cast<unsigned>(lap_open ? std::round(padding)
                                                                           : std::ceil(padding));
            const auto count = static_cast<std::uint16_t>(
                std::min<unsigned>(n + extra, symbol_index_limit - s.cursor));
            items.push_back({chunk, b, s.cursor, count});
            s.cursor = static_cast<std::uint16_t>((s.cursor + count) % symbol_index_limit);
            s.served_pass = pass;
        }
    }
    return items;
}

bool RepairPlanner::anyone_waiting() const {
    for (const auto& [id, r] : reports_) {
        for (const auto& range : r.whole) {
            for (std::uint64_t c = range.first;
                 c < std::uint64_t{range.first} + range.count && c < layouts_.size(); ++c) {
                for (std::uint16_t b = 0; b < layouts_[c].block_count(); ++b)
                    if (blocks_[block_base_[c] + b].served_pass <= r.pass) return true;
            }
        }
        for (const auto& n : r.partial) {
            if (n.chunk < layouts_.size() && n.block < layouts_[n.chunk].block_count() &&
                blocks_[block_base_[n.chunk] + n.block].served_pass <= r.pass)
                return true;
        }
    }
    return false;
}

}  // namespace castline::multicast

#pragma once
// One count of the file descriptors castlined holds for network peers (HTTP connections, TFTP
// transfers, multicast control connections), so that no one service can take the descriptors the
// others, the state store and the listening sockets need. Services ask before they keep a peer's
// descriptors and refuse the peer when the budget is spent, instead of failing later on EMFILE.
#include <cstddef>
#include <memory>
#include <optional>

namespace castline {

class DescriptorBudget {
    struct Count;

  public:
    // Descriptors held until the Lease is destroyed. May outlive the budget.
    class Lease {
      public:
        Lease() = default;
        Lease(Lease&& other) noexcept;
        Lease& operator=(Lease&& other) noexcept;
        Lease(const Lease&) = delete;
        Lease& operator=(const Lease&) = delete;
        ~Lease();

      private:
        friend class DescriptorBudget;
        Lease(std::shared_ptr<Count> count, std::size_t taken);
        std::shared_ptr<Count> count_;
        std::size_t taken_ = 0;
    };

    explicit DescriptorBudget(std::size_t limit);

    // `descriptors` more, or nothing when that would pass the limit.
    std::optional<Lease> take(std::size_t descriptors);

    std::size_t limit() const;
    std::size_t in_use() const;

  private:
    std::shared_ptr<Count> count_;
};

// Raises the soft RLIMIT_NOFILE to the hard limit and returns the soft limit now in force.
std::size_t raise_descriptor_limit();

// The part of `descriptor_limit` left to peers: a quarter (at least 64) stays for the state
// store, logs, listening and DHCP sockets, image files and child processes.
std::size_t peer_descriptor_budget(std::size_t descriptor_limit);

}  // namespace castline

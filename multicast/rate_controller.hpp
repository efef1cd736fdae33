#pragma once
// The sending rate. A configured cap is obeyed as is. Otherwise the rate follows the receivers'
// loss and write-backlog reports, aimed at a percentile receiver (default the 75th): the
// slowest quarter does not hold everyone back, it simply takes more passes.
#include <cstdint>
#include <vector>

namespace castline::multicast {

struct ReceiverLoad {
    std::uint32_t loss_ppm = 0;
    std::uint32_t backlog = 0;  // decoded chunks waiting to be written
};

class RateController {
  public:
    struct Settings {
        double cap_bps = 0;  // > 0: fixed rate, reports are ignored
        double initial_bps = 200e6;
        double min_bps = 2e6;
        double max_bps = 10e9;
        double percentile = 0.75;
        std::uint32_t high_loss_ppm =
            100'000;  // above: back off (random loss below this is not congestion)
        std::uint32_t low_loss_ppm = 20'000;  // below: speed up
        std::uint32_t high_backlog = 8;
    };
    explicit RateController(Settings s);

    // One round of the latest load of every active receiver.
    void update(const std::vector<ReceiverLoad>& loads);
    double rate_bps() const { return rate_; }

  private:
    Settings settings_;
    double rate_;
};

}  // namespace castline::multicast

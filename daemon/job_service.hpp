#pragma once
// castlined's imaging jobs (docs/jobs.md): which boot script a host gets (a job token, or its
// local disk once its job is done), the job endpoints the imager calls on the boot HTTP server,
// and the operator's job list and reimage on the API server. Jobs live in the store, so a
// restart loses nothing; state changes feed the rollouts.
#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "common/ipv4_address.hpp"
#include "common/mac_address.hpp"
#include "config/site_config.hpp"
#include "daemon/host_scripts.hpp"
#include "daemon/http_router.hpp"
#include "daemon/image_validation.hpp"
#include "daemon/job_store.hpp"
#include "daemon/rollout_manager.hpp"

namespace castline::daemon {

class JobService {
  public:
    JobService(SqliteDatabase& db, RolloutManager& rollouts,
               std::function<const config::SiteConfig&()> current);

    // For the host's boot script: the token of its job (made now if it has none), done when its
    // latest job is done and it should boot its local disk, or nothing when neither its action
    // nor a rollout in progress has it imaged.
    std::optional<BootJob> for_boot(const config::Host& host);

    void register_boot_routes(HttpRouter& router);  // GET job, POST progress and result
    void register_api_routes(HttpRouter& router);   // GET /api/v1/jobs, POST reimage

  private:
    std::string new_job(const config::Host& host, const config::Rollout* rollout);
    // The job's host, the rollout imaging it and its image as the validation checked it;
    // `problem` says why there is none (the host left the config, no image, a damaged image).
    struct Target {
        const config::Host* host = nullptr;
        const config::Rollout* rollout = nullptr;
        std::shared_ptr<const CheckedImage> image;
        std::string problem;
    };
    Target target_of(const Job& job);
    HttpResponse get_job(const HttpRequest& request, const HttpClient& client);
    HttpResponse get_image(const HttpRequest& request, const Job& job, std::string_view part);
    HttpResponse post_progress(const HttpRequest& request, const std::string& token);
    HttpResponse post_result(const HttpRequest& request, const std::string& token);
    void fail(const Job& job, const std::string& stage, const std::string& error);

    JobStore store_;
    RolloutManager& rollouts_;
    std::function<const config::SiteConfig&()> current_;
    ImageValidation validation_;
    std::map<std::string, std::chrono::steady_clock::time_point> last_progress_log_;
};

}  // namespace castline::daemon

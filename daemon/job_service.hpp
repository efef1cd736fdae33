#pragma once
// castlined's imaging jobs (docs/jobs.md): which boot script a host gets (a job token, or its
// local disk once its job is done), the job endpoints the imager calls on the boot HTTP server,
// and the operator's job list and reimage on the API server. Jobs live in the store, so a
// restart loses nothing; state changes feed the rollouts. A token goes only to the host's own
// address and is bound to it; every job endpoint refuses other addresses (403).
#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include "common/ipv4_address.hpp"
#include "common/mac_address.hpp"
#include "config/site_config.hpp"
#include "daemon/host_address.hpp"
#include "daemon/host_scripts.hpp"
#include "daemon/http_router.hpp"
#include "daemon/image_validation.hpp"
#include "daemon/job_store.hpp"
#include "daemon/rollout_manager.hpp"

namespace castline::daemon {

class JobService {
  public:
    // `addresses` tells which address a MAC has (host_address.hpp).
    JobService(SqliteDatabase& db, RolloutManager& rollouts,
               std::function<const config::SiteConfig&()> current, AddressOfMac addresses);

    // For the host's boot script asked for by `requester`: the token of its job (made now if it
    // has none, and bound to the requester), done when its latest job is done and it should boot
    // its local disk (also when the requester is not the host's address: the token is
    // withheld), or nothing when neither its action nor a rollout in progress has it imaged.
    std::optional<BootJob> for_boot(const config::Host& host, Ipv4Address requester);

    void register_boot_routes(HttpRouter& router);  // GET job, POST progress and result
    void register_api_routes(HttpRouter& router);   // GET /api/v1/jobs, POST reimage

  private:
    std::string new_job(const config::Host& host, const config::Rollout* rollout);
    // Why `client` may not use the job's token, or nothing when it may: it is the address the
    // job is bound to, or, before the job is bound, the host's address (which binds it).
    std::optional<std::string> refusal(const Job& job, Ipv4Address client);
    // The job named by the request's path, or the response refusing it (404, 403).
    std::variant<Job, HttpResponse> authorized_job(const HttpRequest& request,
                                                   const HttpClient& client,
                                                   const std::string& token);
    // The job's host, the rollout imaging it and its image as the validation checked it;
    // `problem` says why there is none (the host left the config, no image, a damaged image);
    // `checking` says the image is being validated now (ask again later).
    struct Target {
        const config::Host* host = nullptr;
        const config::Rollout* rollout = nullptr;
        std::shared_ptr<const CheckedImage> image;
        std::string problem;
        bool checking = false;
    };
    Target target_of(const Job& job);
    HttpResponse get_job(const HttpRequest& request, const HttpClient& client);
    HttpResponse get_image(const HttpRequest& request, const Job& job, std::string_view part);
    HttpResponse post_progress(const HttpRequest& request, const Job& job);
    HttpResponse post_result(const HttpRequest& request, const Job& job);
    HttpResponse reimage(const HttpRequest& request, const config::Host& host);
    void fail(const Job& job, const std::string& stage, const std::string& error);

    JobStore store_;
    RolloutManager& rollouts_;
    std::function<const config::SiteConfig&()> current_;
    AddressOfMac addresses_;
    ImageValidation validation_;
    std::map<std::string, std::chrono::steady_clock::time_point> last_progress_log_;
};

}  // namespace castline::daemon

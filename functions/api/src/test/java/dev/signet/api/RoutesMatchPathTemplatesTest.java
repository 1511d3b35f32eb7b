package dev.signet.api;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** API paths such as {@code /v1/workspaces/{ws}/endpoints/{ep}} reach their handler with their parameters. */
class RoutesMatchPathTemplatesTest {

    private static ApiRequest request(String method, String path) {
        return new ApiRequest(method, path, Map.of(), Map.of(), null, "req_1");
    }

    /** Each handler answers with its own name and the parameters it got, so the test sees which one ran. */
    private static Router.Handler named(String name) {
        return (request, params) -> new ApiResponse(200, Map.of(), name + " " + new java.util.TreeMap<>(params));
    }

    private final Router router = new Router()
            .route("POST", "/v1/workspaces", named("createWorkspace"))
            .route("GET", "/v1/workspaces/{ws}", named("getWorkspace"))
            .route("DELETE", "/v1/workspaces/{ws}", named("deleteWorkspace"))
            .route("GET", "/v1/workspaces/{ws}/endpoints", named("listEndpoints"))
            .route("POST", "/v1/workspaces/{ws}/endpoints", named("createEndpoint"))
            .route("GET", "/v1/workspaces/{ws}/endpoints/{ep}", named("getEndpoint"))
            .route("PATCH", "/v1/workspaces/{ws}/endpoints/{ep}", named("updateEndpoint"))
            .route("POST", "/v1/workspaces/{ws}/endpoints/{ep}/secret", named("rotateSecret"))
            .route("POST", "/v1/workspaces/{ws}/events/{evt}/retry", named("retryEvent"));

    private String dispatch(String method, String path) {
        return router.dispatch(request(method, path)).body();
    }

    @Test
    void aLiteralPathReachesItsHandler() {
        assertThat(dispatch("POST", "/v1/workspaces")).isEqualTo("createWorkspace {}");
    }

    @Test
    void parametersAreTakenFromTheirSegments() {
        assertThat(dispatch("GET", "/v1/workspaces/ws_casterly")).isEqualTo("getWorkspace {ws=ws_casterly}");
        assertThat(dispatch("PATCH", "/v1/workspaces/ws_1/endpoints/ep_2")).isEqualTo("updateEndpoint {ep=ep_2, ws=ws_1}");
        assertThat(dispatch("POST", "/v1/workspaces/ws_1/endpoints/ep_2/secret")).isEqualTo("rotateSecret {ep=ep_2, ws=ws_1}");
        assertThat(dispatch("POST", "/v1/workspaces/ws_1/events/evt_9/retry")).isEqualTo("retryEvent {evt=evt_9, ws=ws_1}");
    }

    @Test
    void theMethodChoosesBetweenRoutesOfTheSamePath() {
        assertThat(dispatch("GET", "/v1/workspaces/ws_1/endpoints")).startsWith("listEndpoints");
        assertThat(dispatch("POST", "/v1/workspaces/ws_1/endpoints")).startsWith("createEndpoint");
        assertThat(dispatch("DELETE", "/v1/workspaces/ws_1")).startsWith("deleteWorkspace");
    }

    @Test
    void aTrailingSlashIsTheSamePath() {
        assertThat(dispatch("GET", "/v1/workspaces/ws_1/endpoints/")).startsWith("listEndpoints");
    }

    @Test
    void anUnknownPathIsNotFound() {
        assertThatThrownBy(() -> dispatch("GET", "/v1/nothing/here"))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.status()).isEqualTo(404);
                    assertThat(e.code()).isEqualTo("not_found");
                    assertThat(e.getMessage()).isEqualTo("no such route: GET /v1/nothing/here");
                });
    }

    @Test
    void aKnownPathWithAnotherMethodIs405ListingTheMethodsItTakes() {
        assertThatThrownBy(() -> dispatch("PUT", "/v1/workspaces/ws_1"))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.status()).isEqualTo(405);
                    assertThat(e.code()).isEqualTo("method_not_allowed");
                    assertThat(e.headers()).containsExactly(Map.entry("allow", "GET, DELETE"));
                    assertThat(e.getMessage()).isEqualTo("/v1/workspaces/ws_1 does not take PUT; it takes GET, DELETE");
                });
        assertThatThrownBy(() -> dispatch("GET", "/v1/workspaces"))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.headers()).containsEntry("allow", "POST"));
    }

    @Test
    void anEmptyParameterSegmentMatchesNothing() {
        assertThatThrownBy(() -> dispatch("GET", "/v1/workspaces//endpoints")).isInstanceOf(ApiException.class);
        assertThatThrownBy(() -> dispatch("GET", "/v1/workspaces/ws_1/endpoints//")).isInstanceOf(ApiException.class);
    }

    @Test
    void extraOrMissingSegmentsMatchNothing() {
        assertThatThrownBy(() -> dispatch("GET", "/v1/workspaces/ws_1/endpoints/ep_1/extra")).isInstanceOf(ApiException.class);
        assertThatThrownBy(() -> dispatch("GET", "/v1")).isInstanceOf(ApiException.class);
        assertThatThrownBy(() -> dispatch("GET", "/")).isInstanceOf(ApiException.class);
    }

    @Test
    void theDeclaredRoutesAreListedInOrder() {
        assertThat(router.routes()).extracting(Router.Route::template).startsWith("/v1/workspaces", "/v1/workspaces/{ws}");
        assertThat(router.routes()).hasSize(9);
    }
}

import {registry} from "@web/core/registry";

registry.category("web_tour.tours").add("ledd_support_portal_tour", {
    url: "/my",
    steps: () => [
        {
            content: "Open Help others log in",
            trigger: 'a[href="/my/login-help"]',
            run: "click",
        },
        {
            content: "Search the person",
            trigger: "#ledd_login_help_search",
            run: "edit Mia",
        },
        {
            content: "Run the search",
            trigger: "form[role=search] button[type=submit]",
            run: "click",
        },
        {
            content: "The list shows the search result",
            trigger: "#ledd_login_help_search[value=Mia]",
        },
        {
            content: "Open the person",
            trigger: "tr.ledd_login_help_row a:contains(Mia Bergen)",
            run: "click",
        },
        {
            content: "The login doctor found that she has no account",
            trigger: ".ledd_finding[data-code=no_user]",
        },
        {
            content: "Invite her to the portal",
            trigger: "#ledd_form_grant_portal_access button[type=submit]",
            run: "click",
        },
        {
            content: "The invitation is on its way",
            trigger: "#ledd_login_help_result.alert-success",
        },
        {
            content: "The doctor now sees the pending invitation",
            trigger: ".ledd_finding[data-code=invitation_pending]",
        },
    ],
});

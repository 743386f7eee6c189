import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("ledd_training_my_training", {
    url: "/my",
    steps: () => [
        {
            content: "Open My training from the portal home",
            trigger: "a[href='/my/training']",
            run: "click",
        },
        {
            content: "The required course is listed with its due date",
            trigger: "#ledd_my_training .ledd_training_row:contains('T Child Safety')",
        },
        {
            content: "The onboarding checklist is shown",
            trigger: "#ledd_onboarding_lines li:contains('Meet your leader')",
        },
        {
            content: "Follow the link to the course",
            trigger: "a.ledd_training_course_link:contains('T Child Safety')",
            run: "click",
        },
        {
            content: "The course page opens",
            trigger: ".o_wslides_course_header, .o_wslides_course_main",
            // The page loads its chatter bundle after it shows: end the tour only
            // once that is done, or the browser is closed with a fetch in flight.
            run: async () => {
                if (!document.querySelector(".o_portal_chatter")) {
                    return;
                }
                await odoo.portalChatterReady;
                // its style sheets come last, into a shadow root (at most 10 s)
                for (let waited = 0; waited < 10000; waited += 100) {
                    const root = document.querySelector("#chatterRoot");
                    if (root && root.shadowRoot && root.shadowRoot.childElementCount) {
                        return;
                    }
                    await new Promise((resolve) => setTimeout(resolve, 100));
                }
            },
        },
    ],
});

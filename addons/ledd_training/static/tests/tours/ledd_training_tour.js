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
        },
    ],
});

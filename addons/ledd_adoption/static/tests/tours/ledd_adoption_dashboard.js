import {registry} from "@web/core/registry";

registry.category("web_tour.tours").add("ledd_adoption_dashboard", {
    url: "/odoo/action-ledd_adoption.ledd_adoption_snapshot_action_dashboard",
    steps: () => [
        {
            content: "Voss, in my region, has a card",
            trigger: ".o_kanban_record:contains('Voss')",
        },
        {
            content: "Open Bergen, red against its target",
            trigger: ".o_kanban_record:contains('Bergen'):contains('Red')",
            run: "click",
        },
        {
            content: "Bergen's figures are open",
            trigger: ".o_form_view .o_field_widget[name=unit_id]:contains('Bergen')",
        },
        {
            content: "Who was active in the last 30 days?",
            trigger: ".o_form_view button.btn-link[name=action_view_active_30]",
            run: "click",
        },
        {
            content: "The people behind the figure",
            trigger: ".o_list_view .o_data_row:contains('Per Portal')",
        },
    ],
});

import {registry} from "@web/core/registry";

registry.category("web_tour.tours").add("ledd_request_portal_tour", {
    url: "/my",
    steps: () => [
        {
            content: "Open the requests",
            trigger: 'a[href="/my/requests"]',
            run: "click",
        },
        {
            content: "Report a problem",
            trigger: 'a[href="/my/requests/new"]',
            run: "click",
        },
        {
            content: "It is an error",
            trigger: "select#ledd_request_type",
            run: "select error",
        },
        {
            content: "Give it a title",
            trigger: "input#ledd_request_name",
            run: "edit Medlemslisten laster ikke",
        },
        {
            content: "Describe it",
            trigger: "textarea#ledd_request_description",
            run: "edit Den spinner bare.",
        },
        {
            content: "Send it",
            trigger: "form[action='/my/requests/new'] button[type=submit]",
            run: "click",
        },
        {
            content: "The request is with the local branch",
            trigger: ".alert-success:contains(Bergen)",
        },
        {
            content: "Write a message",
            trigger: "textarea#ledd_request_reply",
            run: "edit Fortsatt feil i dag",
        },
        {
            content: "Send the message",
            trigger: "form[action$='/reply'] button[type=submit]",
            run: "click",
        },
        {
            content: "The message is in the thread",
            trigger: ".ledd_request_message:contains(Fortsatt feil i dag)",
        },
    ],
});

/** How to get the Pulumi CLI, for every tool that needs it and finds it missing (the Automation API needs it too). */
export const PULUMI_INSTALL_HINT = 'install it with `curl -fsSL https://get.pulumi.com | sh` (or see https://www.pulumi.com/docs/install/)';

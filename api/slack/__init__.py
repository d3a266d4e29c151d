"""The Slack app: the bolt app and its listeners (`app`), Slack formatting (`format`),
who sees what (`access`), and the app manifest (`manifest.yml`)."""

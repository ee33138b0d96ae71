"""The HTTP JSON API (`cfdoctor serve`) and the MCP server (`cfdoctor mcp`): thin adapters over
cfdoctor.service. Their dependencies are the optional extra `server`."""

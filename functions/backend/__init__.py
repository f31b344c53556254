"""What the functions share on the AWS side: lazy clients, the private
catalog, the DynamoDB order records, rate limits and order codes."""

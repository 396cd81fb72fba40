// One alert by id. $alert_id
MATCH (a:Alert {alert_id: $alert_id})
RETURN a.payload AS payload
